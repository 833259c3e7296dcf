import Foundation
import Testing

@testable import SmokeGateDaemon

/// What the daemon keeps of the calls the broker refuses (field rule 8): the journal hears of
/// them once, then once a minute with counts, and of their end.
@Suite struct DispatchRefusalsTests {
    @Test func theJournalHearsOfRefusedCallsOnceThenOnceAMinuteThenOfTheirEnd() {
        let refusals = DispatchRefusals()
        let start = ContinuousClock.now
        let denied = "refused by the broker: not authorized (0x87) on smokegate/notify/grid/g1"
        // 0 s: two calls refused: the journal hears at once.
        #expect(refusals.record(refused: [(1, denied), (2, denied)], delivered: [], now: start) == .began)
        #expect(refusals.snapshot.isRefusing && refusals.snapshot.held == 2)
        // 1 s, 3 s, 30 s: retried and refused again: nothing new for the journal.
        for seconds in [1, 3, 30] {
            #expect(
                refusals.record(refused: [(1, denied), (2, denied)], delivered: [], now: start + .seconds(seconds)) == .quiet)
        }
        // 61 s: a reminder with the refusals since the first line (3 retries of 2 calls, and these 2).
        #expect(
            refusals.record(refused: [(1, denied), (2, denied)], delivered: [], now: start + .seconds(61)) == .still(refused: 8))
        #expect(refusals.record(refused: [(1, denied)], delivered: [], now: start + .seconds(62)) == .quiet)
        // 90 s: the ACL is fixed: one call goes out; the other is still held until it goes too.
        #expect(refusals.record(refused: [], delivered: [2], now: start + .seconds(90)) == .quiet)
        #expect(refusals.snapshot.summary == "\(denied); 1 call held in the outbox and retried")
        #expect(refusals.record(refused: [], delivered: [1], now: start + .seconds(91)) == .ended)
        #expect(!refusals.snapshot.isRefusing && refusals.snapshot.summary == nil)
        #expect(refusals.snapshot.total == 11, "refused attempts since start")
        #expect(refusals.outboxEmpty() == .quiet)
    }
}
