import Foundation
import SmokeGateCore
import Testing

/// The fire ladder as timelines in virtual time: alarm at 0, grid at once, community at 3m,
/// street at 10m, station at 15m, unless people answer first.
@Suite struct EscalationTimelineTests {
    private static let minute: TimeInterval = 60

    private func call(_ action: DispatchAction, _ tier: Tier, at seconds: TimeInterval, incident: Int64 = 1) -> VirtualDesk.Call {
        VirtualDesk.Call(at: seconds, tier: tier, action: action, incident: incident)
    }

    @Test func anUnansweredFireClimbsEveryTierAtItsOffset() {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        desk.advance(to: 60 * Self.minute)
        #expect(
            desk.calls == [
                call(.notify, .grid, at: 0), call(.notify, .community, at: 3 * Self.minute),
                call(.notify, .street, at: 10 * Self.minute), call(.notify, .station, at: 15 * Self.minute),
            ])
        let incident = desk.incidents[1]!
        #expect(incident.tier == .station && incident.state == .open && incident.nextDeadline == nil)
        #expect(desk.timeline(1).map(\.action) == [.opened, .called, .called, .called, .called])
        #expect(desk.timeline(1)[2].note == "not acknowledged 3m after it opened")
    }

    @Test func anAcknowledgementAtFourMinutesStopsTheLadderAndTellsTheTiersCalled() throws {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        try desk.acknowledge(1, by: "网格员王", at: 4 * Self.minute)
        desk.advance(to: 60 * Self.minute)
        #expect(
            desk.calls == [
                call(.notify, .grid, at: 0), call(.notify, .community, at: 3 * Self.minute),
                call(.ack, .grid, at: 4 * Self.minute), call(.ack, .community, at: 4 * Self.minute),
            ])
        #expect(desk.incidents[1]!.state == .acknowledged && desk.incidents[1]!.ackedBy == "网格员王")
    }

    @Test func aSecondAcknowledgementIsRefusedNamingTheFirst() throws {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        try desk.acknowledge(1, by: "王", at: 30)
        #expect(throws: IncidentRefusal.self) { try desk.acknowledge(1, by: "李", at: 31) }
        do {
            try desk.acknowledge(1, by: "李", at: 32)
        } catch {
            #expect(error.message.contains("already acknowledged by 王"))
        }
        #expect(desk.calls.filter { $0.action == .ack }.count == 1)
    }

    @Test func resolutionClosesTheIncidentAndTellsEveryTierCalled() throws {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        try desk.acknowledge(1, by: "王", at: 4 * Self.minute)
        try desk.resolve(1, by: "王", cause: "cooking", at: 20 * Self.minute)
        #expect(
            desk.calls.suffix(2) == [
                call(.resolve, .grid, at: 20 * Self.minute), call(.resolve, .community, at: 20 * Self.minute),
            ])
        #expect(desk.incidents[1]!.state == .resolved && desk.incidents[1]!.cause == "cooking")
        #expect(throws: IncidentRefusal.self) { try desk.acknowledge(1, by: "李", at: 21 * Self.minute) }
        #expect(throws: IncidentRefusal.self) { try desk.resolve(1, by: "李", cause: "again", at: 21 * Self.minute) }
        // Resolved: a new alarm from the same detector is a new incident.
        desk.event(.alarm, from: "det-1", at: 30 * Self.minute)
        #expect(desk.calls.last == call(.notify, .grid, at: 30 * Self.minute, incident: 2))
    }

    @Test func aResolutionWithoutAcknowledgementAlsoStopsTheLadder() throws {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        try desk.resolve(1, by: "值班", cause: "false alarm: steam", at: 60)
        desk.advance(to: 60 * Self.minute)
        #expect(desk.calls == [call(.notify, .grid, at: 0), call(.resolve, .grid, at: 60)])
    }

    @Test func aRepeatedAlarmOrAClearJoinsTheIncidentAndTheLadderGoesOn() {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        desk.event(.alarmClear, from: "det-1", at: 30)
        desk.event(.alarm, from: "det-1", at: 90)
        desk.event(.mute, from: "det-1", at: 100)
        desk.advance(to: 11 * Self.minute)
        #expect(desk.incidents.count == 1)
        #expect(desk.calls.map(\.tier) == [.grid, .community, .street], "only people stop the ladder")
        #expect(desk.timeline(1).map(\.action) == [.opened, .called, .alarmCleared, .alarmRepeated, .muted, .called, .called])
    }

    @Test func aSecondDetectorAtTheSameVenueEscalatesToEveryTierAtOnce() {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        desk.event(.alarm, from: "det-2", at: 45)
        desk.advance(to: 60 * Self.minute)
        #expect(
            desk.calls == [
                call(.notify, .grid, at: 0), call(.notify, .community, at: 45), call(.notify, .street, at: 45),
                call(.notify, .station, at: 45),
            ])
        #expect(desk.incidents.count == 1, "the second detector joins the venue's incident")
        #expect(desk.timeline(1).map(\.action).contains(.alarmNearby))
    }

    @Test func anAlarmAtAnotherVenueOpensItsOwnIncident() {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        desk.event(.alarm, from: "det-3", at: 45)
        desk.advance(to: 2 * Self.minute)
        #expect(desk.calls == [call(.notify, .grid, at: 0), call(.notify, .grid, at: 45, incident: 2)])
    }

    @Test func anUnknownDetectorGoesStraightToEveryStreetCommandCentre() {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "0x00158d0004fc9481", at: 0)
        desk.advance(to: 60 * Self.minute)
        #expect(desk.calls == [call(.notify, .street, at: 0), call(.notify, .station, at: 15 * Self.minute)])
        #expect(desk.directory.units(.street, for: desk.incidents[1]!.site).map(\.id) == ["yongquan"])
    }

    @Test func aDetectorSilentDuringItsOwnFireEscalatesAtOnce() {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        desk.silence("det-1", at: 5 * Self.minute)
        desk.advance(to: 60 * Self.minute)
        let fire = desk.calls.filter { $0.incident == 1 }
        #expect(
            fire == [
                call(.notify, .grid, at: 0), call(.notify, .community, at: 3 * Self.minute),
                call(.notify, .street, at: 5 * Self.minute), call(.notify, .station, at: 5 * Self.minute),
            ])
        #expect(desk.incidents[2]?.kind == .offline, "and an offline incident opens for the grid")
        #expect(desk.calls.contains(call(.notify, .grid, at: 5 * Self.minute, incident: 2)))
    }

    @Test func aBurntDetectorReportedOfflineByItsNetworkEscalatesToo() {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        desk.event(.offline, from: "det-1", at: 20)
        #expect(desk.calls.filter { $0.incident == 1 }.map(\.tier) == [.grid, .community, .street, .station])
    }

    @Test func aRestartAfterAMissedDeadlineCallsAtOnceMarkedLateAndNeverTwice() {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        desk.advance(to: 2 * Self.minute)
        // Down from 2m to 12m: community (3m) and street (10m) fall due meanwhile.
        desk.down(until: 12 * Self.minute)
        desk.advance(to: 60 * Self.minute)
        #expect(
            desk.calls == [
                call(.notify, .grid, at: 0), call(.notify, .community, at: 12 * Self.minute),
                call(.notify, .street, at: 12 * Self.minute), call(.notify, .station, at: 15 * Self.minute),
            ])
        let called = desk.timeline(1).filter { $0.action == .called }
        #expect(called[1].note?.contains("late by 9m") == true, "\(called[1].note ?? "")")
        #expect(called[2].note?.contains("late by 2m") == true)
        #expect(called[3].note?.contains("late") == false)
    }

    @Test func retimedAndOmittedTiersAreFollowedAndCopiedOntoTheIncident() {
        let ladder = EscalationLadder(steps: [.init(tier: .grid, after: .zero), .init(tier: .street, after: .zero)])
        var desk = VirtualDesk(ladder: ladder)
        desk.event(.alarm, from: "det-1", at: 0)
        desk.rules.ladder = .standard  // a configuration edit does not touch the open incident
        desk.advance(to: 60 * Self.minute)
        #expect(desk.calls == [call(.notify, .grid, at: 0), call(.notify, .street, at: 0)])
    }
}
