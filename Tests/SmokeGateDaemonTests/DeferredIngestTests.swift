import Foundation
import SmokeGateCore
import Synchronization
import Testing

@testable import SmokeGateDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// The QoS 0 worker must not make the network thread wait on a live stream: it runs at the
/// priority of the thread that started it (issue 18, live ingest speed).
@Suite struct DeferredIngestTests {
    /// Below the network thread's priority (nice 10, as it once ran), the worker lost the cores
    /// to the broker and the publishers on a live stream, its queue filled and the network
    /// thread waited: the gateway took a live stream at 0.8× mosquitto_sub's rate.
    @Test func theWorkerRunsAtTheNetworkThreadsPriority() throws {
        let niceness = Mutex<Int32?>(nil)
        let handled = DispatchSemaphore(value: 0)
        let worker = DeferredIngest { _ in
            errno = 0
            // On Linux the nice value is per thread; who = 0 names the calling thread.
            let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            niceness.withLock { $0 = errno == 0 ? value : nil }
            handled.signal()
        }
        let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        worker.start()
        worker.enqueue(RawMessage(topic: "smokegate/detectors/det-1/event", payload: Array("{}".utf8), receivedAt: Date()))
        #expect(handled.wait(timeout: .now() + 5) == .success, "the worker handles a queued message")
        #expect(niceness.withLock { $0 } == own, "the worker's nice value is the starting thread's")
        worker.stop()
    }

    /// A message the network thread handles in its turn (an alarm) waits for what was queued
    /// before it, not for the worker's pause after a small batch: that pause was half a
    /// millisecond of every alarm's path under heartbeat load. Here the pause is ten seconds,
    /// so waiting it out could not pass for anything else.
    @Test func aMessageWaitingForItsTurnDoesNotWaitOutTheWorkersPause() throws {
        let handled = Atomic<Int>(0)
        let worker = DeferredIngest(pause: .seconds(10)) { _ in handled.add(1, ordering: .relaxed) }
        worker.start()
        defer { worker.stop() }
        let heartbeat = RawMessage(topic: "smokegate/detectors/det-1/event", payload: Array("{}".utf8), receivedAt: Date())
        worker.enqueue(heartbeat)
        let deadline = ContinuousClock.now + .seconds(5)
        while handled.load(ordering: .relaxed) < 1, ContinuousClock.now < deadline { usleep(1_000) }
        try #require(handled.load(ordering: .relaxed) == 1, "the first batch is handled; the worker now pauses")
        usleep(20_000)
        worker.enqueue(heartbeat)
        let started = ContinuousClock.now
        worker.waitUntilIdle()
        #expect(handled.load(ordering: .relaxed) == 2, "what was queued before it is applied first")
        #expect(started.duration(to: .now) < .seconds(5), "and the pause is cut short: \(started.duration(to: .now))")
    }
}
