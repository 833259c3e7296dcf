import SmokeGateCore
import Testing

/// A receiver's pace as a timeline: the vendor's limit is kept before the vendor enforces it,
/// and a rate-limit answer holds everything until the vendor's time.
@Suite struct SendPaceTests {
    @Test func twentyAMinuteThenTheOldestSlotFrees() {
        var pace = SendPace(count: 20, window: 60)
        for second in 0..<20 {
            #expect(pace.free(at: Double(second)) == 20 - second)
            pace.record(at: Double(second))
        }
        #expect(pace.free(at: 30) == 0)
        #expect(pace.nextSlot(at: 30) == 60)
        #expect(pace.free(at: 60.5) == 1)
    }

    @Test func aRateLimitAnswerHoldsEveryMessageUntilItsTime() {
        var pace = SendPace(count: 5, window: 1)
        pace.block(until: 40)
        #expect(pace.free(at: 39.9) == 0 && pace.nextSlot(at: 10) == 40)
        #expect(pace.free(at: 40) == 5)
        // For a minute after the vendor's time, what waits goes merged: its count is not ours.
        #expect(pace.recentlyLimited(at: 99) && !pace.recentlyLimited(at: 100))
        #expect(SendPace.unlimited.free(at: 0) == Int.max)
    }

    @Test func backoffDoublesToAMinuteAndFiresWaitAMinuteBeforeTheStreetIsTold() {
        #expect((1...8).map { DeliveryPolicy.backoff(afterAttempts: $0) } == [1, 2, 4, 8, 16, 32, 60, 60])
        #expect(DeliveryPolicy.bound(priority: .fire, action: .notify) == 60)
        #expect(DeliveryPolicy.bound(priority: .maintenance, action: .notify) == 900)
        #expect(DeliveryPolicy.bound(priority: .fire, action: .callFailed) == nil)
    }
}
