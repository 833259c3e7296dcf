import Foundation
import RulebookScenarios
import SmokeGateCore
import Testing

/// What only the in-memory desk can show: the gateway down across deadlines, and a
/// configuration edit while a fire climbs. The rules themselves are pinned in `RulebookTests`.
@Suite struct EscalationTimelineTests {
    private static let minute: TimeInterval = 60

    private func call(_ action: DispatchAction, _ tier: Tier, at seconds: TimeInterval, incident: Int64 = 1) -> RulebookCall {
        RulebookCall(at: seconds, tier: tier, action: action, incident: incident)
    }

    @Test func aRestartAfterAMissedDeadlineCallsAtOnceMarkedLateAndNeverTwice() {
        var desk = VirtualDesk()
        desk.event(.alarm, from: "det-1", at: 0)
        desk.advance(to: 2 * Self.minute)
        // Down from 2m to 12m: community (3m) and street (10m) fall due meanwhile.
        desk.down(until: 12 * Self.minute)
        desk.advance(to: 20 * Self.minute)
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
        desk.advance(to: 20 * Self.minute)
        #expect(desk.calls == [call(.notify, .grid, at: 0), call(.notify, .street, at: 0)])
    }

    @Test func aFireOpenedBeforeRemindersExistedIsRemindedAfterItsAcknowledgement() throws {
        var desk = VirtualDesk(ladder: EscalationLadder(steps: EscalationLadder.standard.steps, reminder: nil))
        desk.event(.alarm, from: "det-1", at: 0)
        try desk.acknowledge(1, by: "王", at: 60)
        desk.advance(to: 5 * 60 * Self.minute)
        #expect(desk.calls.filter(\.isReminder).isEmpty, "a ladder without a reminder never reminds")
    }
}
