import Foundation
import RulebookScenarios
import SmokeGateCore
import Testing

/// Faults, tamper, low battery and silence: grid-tier jobs that close on their clears.
@Suite struct MaintenanceIncidentTests {
    @Test(arguments: [(EventKind.fault, EventKind.faultClear, IncidentKind.fault), (.tamper, .tamperClear, .tamper)])
    func aConditionOpensAGridJobAndItsClearClosesIt(raised: EventKind, cleared: EventKind, kind: IncidentKind) {
        var desk = VirtualDesk()
        desk.event(raised, from: "det-3", at: 0)
        desk.event(raised, from: "det-3", at: 60)
        desk.event(cleared, from: "det-3", at: 600)
        desk.advance(to: 3_600)
        let incidents = desk.incidents()
        #expect(incidents.count == 1 && incidents[1]!.kind == kind)
        #expect(incidents[1]!.state == .resolved && incidents[1]!.resolvedBy == "device")
        #expect(
            desk.calls == [
                RulebookCall(at: 0, tier: .grid, action: .notify, incident: 1),
                RulebookCall(at: 600, tier: .grid, action: .resolve, incident: 1),
            ])
        #expect(desk.timeline(1).map(\.action) == [.opened, .called, .repeated, .resolved])
    }

    @Test func lowBatteryWaitsForTheBatteryOrAPerson() throws {
        var desk = VirtualDesk()
        desk.event(.lowBattery, from: "det-3", at: 0)
        desk.advance(to: 86_400)
        #expect(desk.incidents()[1]!.kind == .lowBattery && desk.incidents()[1]!.state == .open)
        try desk.resolve(1, by: "网格员", cause: "battery replaced", at: 86_400)
        #expect(desk.calls.map(\.action) == [.notify, .resolve])
        desk.event(.lowBattery, from: "det-3", at: 90_000)
        desk.event(.batteryRestored, from: "det-3", at: 90_060)
        #expect(desk.incidents()[2]!.state == .resolved && desk.incidents()[2]!.cause == "battery_restored")
    }

    @Test func silenceOpensAnOfflineJobThatClosesWhenTheDetectorIsHeardAgain() {
        var desk = VirtualDesk()
        desk.wentOffline("det-3", at: 300)
        desk.wentOffline("det-3", at: 900)
        #expect(desk.incidents().count == 1, "one offline incident, however long the silence")
        desk.event(.online, from: "det-3", at: 1_000)
        #expect(desk.incidents()[1]!.state == .resolved)
        #expect(desk.calls.map(\.action) == [.notify, .resolve] && desk.calls.allSatisfy { $0.tier == .grid })
    }

    @Test func heardAgainClosesOnlyTheOfflineIncident() {
        var desk = VirtualDesk()
        desk.event(.fault, from: "det-3", at: 0)
        desk.wentOffline("det-3", at: 300)
        let open = OpenIncidents(ofDevice: desk.incidents().values.sorted { $0.id < $1.id })
        let changes = desk.rules.heardAgain(at: VirtualDesk.start.addingTimeInterval(400), open: open)
        #expect(changes.map(\.incident.kind) == [.offline])
    }

    @Test func testsAndHeartbeatsOpenNothing() {
        var desk = VirtualDesk()
        desk.event(.test, from: "det-1", at: 0)
        desk.event(.heartbeat, from: "det-1", at: 1)
        desk.event(.alarmClear, from: "det-1", at: 2)
        #expect(desk.incidents().isEmpty && desk.calls.isEmpty)
    }
}
