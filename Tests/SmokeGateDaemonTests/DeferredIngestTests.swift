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
}
