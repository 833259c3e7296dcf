import Foundation
import SmokeGateSync
import Testing

/// The one way anything in the gateway waits for "a signal or a timeout": no ring is ever
/// lost, a wait ends at its timeout, and a cancelled wait ends at once. The bounds below are
/// generous: they tell a wait that ended from one that did not, never how fast it ended.
@Suite struct DoorbellTests {
    @Test func aRingWhileNobodyWaitsIsKeptForTheNextWait() async {
        let bell = Doorbell()
        bell.ring()
        let started = ContinuousClock.now
        await bell.wait(timeout: .seconds(30))
        #expect(started.duration(to: .now) < .seconds(10), "the earlier ring ends the wait at once")
    }

    @Test func aRingWakesAWaiter() async throws {
        let bell = Doorbell()
        let started = ContinuousClock.now
        let waiter = Task { await bell.wait(timeout: nil) }
        try await Task.sleep(for: .milliseconds(50))
        bell.ring()
        await waiter.value
        #expect(started.duration(to: .now) < .seconds(10))
    }

    @Test func aWaitEndsAtItsTimeoutAndALaterRingIsStillKept() async {
        let bell = Doorbell()
        let started = ContinuousClock.now
        await bell.wait(timeout: .milliseconds(100))
        let waited = started.duration(to: .now)
        #expect(waited >= .milliseconds(100) && waited < .seconds(10), "\(waited)")
        bell.ring()
        let again = ContinuousClock.now
        await bell.wait(timeout: .seconds(30))
        #expect(again.duration(to: .now) < .seconds(10), "the ring after a timed-out wait is not lost")
    }

    @Test func aCancelledWaitEndsAtOnce() async {
        let bell = Doorbell()
        let started = ContinuousClock.now
        let waiter = Task { await bell.wait(timeout: nil) }
        waiter.cancel()
        await waiter.value
        #expect(started.duration(to: .now) < .seconds(10))
    }

    /// Many rings and waits from many tasks: every waiter is released, by a ring or its own
    /// timeout, and nothing hangs (a lost wake-up would leave a task waiting its whole minute).
    @Test func ringsAndWaitsFromManyTasksNeverHang() async {
        let bell = Doorbell()
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<2_000 { await bell.wait(timeout: .seconds(60)) }
            }
            group.addTask {
                for _ in 0..<50_000 {
                    bell.ring()
                    await Task.yield()
                }
                // Whatever the waiter still needs.
                while !Task.isCancelled {
                    bell.ring()
                    try? await Task.sleep(for: .milliseconds(1))
                }
            }
            await group.next()
            group.cancelAll()
        }
        #expect(started.duration(to: .now) < .seconds(50), "2,000 waits, each ended by a ring")
    }
}
