import Foundation
import SmokeGateTestSupport
import Testing

/// The real `smokegated` with the ladder compressed to seconds (grid 0s, community 2s,
/// street 4s, station 6s), watched from the broker as responders would see it.
@Suite(.serialized) struct LadderTests {
    static let offsets: [(tier: String, after: TimeInterval)] = [("grid", 0), ("community", 2), ("street", 4), ("station", 6)]

    /// The calls received, checked: each tier once, in order, within a second of its offset
    /// from the incident's opening.
    private func expectTheWholeLadder(_ calls: [TestSubscriber.Received], _ log: @autoclosure () -> String) throws {
        #expect(calls.map { $0.topic.split(separator: "/")[2] } == Self.offsets.map { Substring($0.tier) }, "\(log())")
        #expect(Set(calls.compactMap { $0.field("notification") }).count == calls.count, "no call sent twice")
        let opened = try #require(calls.first?.field("opened_at").flatMap(Self.date))
        for (call, offset) in zip(calls, Self.offsets) {
            let after = call.arrivedAt.timeIntervalSince(opened)
            #expect(
                after >= offset.after - 0.05 && after < offset.after + 1, "\(offset.tier) arrived \(after)s after the opening")
        }
    }

    private static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    private func calls(_ responders: TestSubscriber) -> [TestSubscriber.Received] {
        responders.received.filter { $0.field("action") == "notify" }
    }

    @Test func everyTierIsCalledOnceInOrderAtItsOffset() async throws {
        let daemon = try await RunningDaemon.start()
        let responders = try await TestSubscriber.connect(port: daemon.broker.port, filters: ["smokegate/notify/#"])
        try await daemon.publisher().publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 15) { calls(responders).count == 4 })
        try await Task.sleep(for: .seconds(1))
        try expectTheWholeLadder(calls(responders), daemon.process.standardError)
        #expect(await daemon.process.stop() == 0)
    }

    @Test func aDaemonKilledBetweenTwoTiersCallsTheNextOnceWhenItIsBack() async throws {
        let daemon = try await RunningDaemon.start()
        let responders = try await TestSubscriber.connect(port: daemon.broker.port, filters: ["smokegate/notify/#"])
        try await daemon.publisher().publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        #expect(await eventually(timeout: 10) { calls(responders).count == 2 }, "grid and community called")
        let opened = try #require(calls(responders).first?.field("opened_at").flatMap(Self.date))
        try await Task.sleep(for: .milliseconds(300))
        #expect(await daemon.process.stop(signal: SIGKILL) != 0, "killed between community (2s) and street (4s)")
        // Come back just after the street's deadline has passed while nobody was there.
        try await Task.sleep(for: .seconds(max(0, opened.addingTimeInterval(4.2).timeIntervalSinceNow)))
        let restarted = try BinaryProcess("smokegated", ["--config", daemon.files.mainFile.path, "--log-level", "debug"])
        #expect(await eventually(timeout: 15) { calls(responders).count >= 4 }, "\(restarted.standardError)")
        try await Task.sleep(for: .seconds(1))
        try expectTheWholeLadder(calls(responders), restarted.standardError)
        let incidents = try daemon.store.incidents()
        #expect(incidents.count == 1 && incidents[0].tier == .station)
        let called = try daemon.store.timeline(of: 1).filter { $0.action == .called }.compactMap(\.tier)
        #expect(called == [.grid, .community, .street, .station], "each tier once in the timeline")
        #expect(await restarted.stop() == 0)
    }
}
