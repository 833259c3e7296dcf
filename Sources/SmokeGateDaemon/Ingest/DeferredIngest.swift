import Foundation
import SmokeGateCore

#if canImport(Glibc)
    import Glibc
#endif

/// A worker thread for QoS 0 messages. They carry no acknowledgement for the gateway to
/// hold back, so the network thread hands them over and goes straight back to the socket;
/// QoS 1 messages are still handled on the network thread, after everything queued before
/// them, so that a detector's messages are applied in the order they arrived.
final class DeferredIngest: @unchecked Sendable {
    /// Messages waiting at most; beyond it the network thread waits, which pushes back on
    /// the broker instead of growing without bound.
    static let capacity = 50_000

    private let condition = NSCondition()
    private var pending: [RawMessage] = []
    private var working = false
    private var stopping = false
    /// Whether the worker is blocked waiting for work: only then does `enqueue` wake it, so
    /// that under load the network thread makes no wake-up call per message.
    private var workerWaiting = false
    private var idleWaiters = 0
    private let finished = DispatchSemaphore(value: 0)
    private let process: @Sendable (RawMessage) -> Void

    init(process: @escaping @Sendable (RawMessage) -> Void) {
        self.process = process
        pending.reserveCapacity(1_024)
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "smokegate-ingest"
        thread.start()
    }

    /// Queues a message for the worker, waiting while the queue is full.
    func enqueue(_ message: RawMessage) {
        condition.lock()
        while pending.count >= Self.capacity && !stopping {
            idleWaiters += 1
            condition.wait()
            idleWaiters -= 1
        }
        pending.append(message)
        if workerWaiting { condition.broadcast() }
        condition.unlock()
    }

    /// Returns once every message queued so far has been handled.
    func waitUntilIdle() {
        condition.lock()
        while !pending.isEmpty || working {
            idleWaiters += 1
            condition.wait()
            idleWaiters -= 1
        }
        condition.unlock()
    }

    /// Handles what is queued, then ends the worker.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        finished.wait()
    }

    /// The worker's niceness: below the network thread, so that taking messages off the
    /// socket comes first and decoding uses the time left over (the queue absorbs bursts).
    static let niceness: Int32 = 10

    private func run() {
        // On Linux the nice value is per thread, and who = 0 names the calling thread.
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
        var batch: [RawMessage] = []
        batch.reserveCapacity(1_024)
        condition.lock()
        while true {
            if pending.isEmpty {
                if stopping { break }
                workerWaiting = true
                condition.wait()
                workerWaiting = false
                continue
            }
            swap(&batch, &pending)
            working = true
            if idleWaiters > 0 { condition.broadcast() }
            condition.unlock()
            for message in batch { process(message) }
            let handled = batch.count
            batch.removeAll(keepingCapacity: true)
            condition.lock()
            working = false
            if idleWaiters > 0 { condition.broadcast() }
            if handled < 1_024, !stopping {
                // A small batch means the network thread is about to hand over more: give it
                // a moment to build a batch rather than waking for every message.
                condition.unlock()
                usleep(1_000)
                condition.lock()
            }
        }
        condition.unlock()
        finished.signal()
    }
}
