import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Field rule 7 through the daemon's dispatcher and a real broker: a fire's call is not held
/// behind a storm of maintenance calls waiting in the outbox.
@Suite struct FiresFirstTests {
    static let grids = 600

    /// One community of `grids` grids, each with one detector `m-N` in grid `gN`; a smoke
    /// detector `fire-1` in grid `g1`.
    static var chain: String {
        let grids = (1...Self.grids).map {
            "              - { id: g\($0), name: 网格\($0), contacts: [{ id: w\($0), name: 网格员, phone: '1' }] }"
        }
        return """
            stations:
              - { id: wgxz, name: 消防救援站, contacts: [{ id: wgxz-duty, name: 值班室, phone: '4' }] }
            streets:
              - id: yongquan
                name: 涌泉街道
                station: wgxz
                contacts: [{ id: yq-duty, name: 应急办值班, phone: '2' }]
                communities:
                  - id: c1
                    name: 社区
                    contacts: [{ id: c1-duty, name: 社区值班, phone: '3' }]
                    grids:
            \(grids.joined(separator: "\n"))
            """
    }

    static var devices: String {
        (["device_id,grid,address,venue,venue_type,profile", "fire-1,g1,北湖路1号,北湖小区1栋,residential,"]
            + (1...Self.grids).map { "m-\($0),g\($0),北湖路\($0)号,北湖小区\($0)栋,residential," }).joined(separator: "\n")
    }

    @Test func aFireCallWrittenBehindSixHundredMaintenanceCallsIsDispatchedInTheFirstBatch() async throws {
        let harness = try DaemonHarness(devices: Self.devices, chain: Self.chain)
        let desk = harness.configuration.incidentDesk
        // While the daemon is stopped, the last minute left 600 low-battery jobs (one per
        // grid, one every 25 ms; each grid's group message written two seconds after its job)
        // and then a fire in the outbox, none yet sent.
        let store = try harness.database.open()
        let start = Date().addingTimeInterval(-60)
        for grid in 1...Self.grids {
            try commit("m-\(grid)", .lowBattery, at: start.addingTimeInterval(Double(grid) * 0.025), store, desk)
        }
        _ = try store.flushDueGroups(at: { start.addingTimeInterval(54) }, desk: desk, limit: Self.grids)
        try commit("fire-1", .alarm, at: start.addingTimeInterval(55), store, desk)
        #expect(try store.outboxBacklog() == Self.grids + 1)
        let responders = try await harness.responders()
        // The daemon starts and the broker takes the outbox, batch after batch.
        try await harness.start()
        let all = await eventually(timeout: 60) { responders.received.count >= Self.grids + 1 }
        await harness.stop()
        #expect(all, "received \(responders.received.count) of \(Self.grids + 1) calls")
        let fire = try #require(responders.received.firstIndex { $0.field("kind") == "fire" })
        #expect(fire == 0, "the fire's grid call arrived after \(fire) maintenance calls")
    }

    private func commit(_ device: String, _ kind: EventKind, at time: Date, _ store: Store, _ desk: IncidentDesk) throws {
        let event = DetectorEvent(deviceID: device, kind: kind, format: .native, identity: .stamped("1"))
        try store.commit(
            [IncomingEvent(event: event, topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: time)],
            state: DeviceLiveState(
                deviceID: device, format: .native, lastSeenAt: time, reading: DeviceReading(),
                condition: DeviceCondition().applying(kind)),
            desk: desk)
    }
}
