import Testing

@testable import SmokeGateDaemon

/// The dispatcher's maintenance batch follows the broker's pace: as many maintenance messages
/// as it confirms within 10 ms, so a fire written meanwhile never waits long for a batch.
struct MaintenanceBatchTests {
    @Test func aFastBrokerGetsFullBatchesASlowOneAFewAndATimeoutOne() {
        var batch = MaintenanceBatch()
        #expect(batch.limit == 20)
        // A broker without persistence: 20 confirmed in 0.2 ms; the batch doubles up to 200.
        for expected in [40, 80, 160, 200, 200] {
            batch.sent(batch.limit, in: .microseconds(10 * batch.limit))
            #expect(batch.limit == expected)
        }
        // A broker saving at every change, a responder away: 3 ms a call, so three a batch.
        batch.sent(200, in: .milliseconds(600))
        #expect(batch.limit == 3)
        // Not confirmed at all: one a batch until the broker answers again.
        batch.sent(3, in: .seconds(10))
        #expect(batch.limit == 1)
        batch.sent(1, in: .microseconds(100))
        #expect(batch.limit == 2, "it grows back at most twofold a batch")
        batch.sent(0, in: .seconds(1))
        #expect(batch.limit == 2, "an empty batch says nothing")
    }
}
