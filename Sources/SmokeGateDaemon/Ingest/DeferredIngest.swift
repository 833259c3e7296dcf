import Foundation
import SmokeGateCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A worker thread for messages with no acknowledgement worth holding back (QoS 0, and native
/// heartbeats at any QoS, which open no incident): the network thread hands them over and goes
/// straight back to the socket. Everything else is still handled on the network thread, after
/// everything queued before it, so that a detector's messages are applied in the order they
/// arrived.
///
/// The worker runs at the network thread's priority. Below it (nice 10, as it once ran), a
/// live stream made the gateway wait: the broker and the publishers, at normal priority, took
/// the cores, the worker's queue filled and the network thread waited for a worker that was
/// runnable but seldom ran (docs/performance.md, "Live-stream ingest").
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
    /// Whether the worker is pausing after a small batch (see `run`); a thread waiting on it
    /// cuts the pause short through `nap`, a semaphore, whose timeout is on the monotonic clock.
    private var napping = false
    private let nap = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let process: @Sendable (RawMessage) -> Void
    /// Marks each message the worker handles, for the watchdog: a worker stuck in one message
    /// (a write hung inside SQLite) stops the pings even while the network thread is idle.
    let monitor = LoopMonitor("ingest worker")
    /// Messages handled since start: a thread waiting on the worker reports its progress.
    private let handled = Atomic<Int>(0)

    /// How often a thread waiting on the worker looks whether it is still progressing.
    static let progressCheck: TimeInterval = 0.1
    /// How long the worker pauses after a small batch, to let the next one build up.
    private let pause: DispatchTimeInterval

    init(pause: Duration = .milliseconds(1), process: @escaping @Sendable (RawMessage) -> Void) {
        self.pause = .nanoseconds(Int(pause / .nanoseconds(1)))
        self.process = process
        pending.reserveCapacity(1_024)
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "smokegate-ingest"
        thread.start()
    }

    /// Queues a message for the worker, waiting while the queue is full. Each message the
    /// worker handles meanwhile is progress of the waiting caller's step (`waiter`).
    func enqueue(_ message: RawMessage, waiter: LoopMonitor? = nil) {
        condition.lock()
        if pending.count >= Self.capacity && !stopping {
            waitLocked(while: { pending.count >= Self.capacity && !stopping }, waiter: waiter)
        }
        pending.append(message)
        if workerWaiting { condition.broadcast() }
        condition.unlock()
    }

    /// Returns once every message queued so far has been handled. A long drain is healthy
    /// while the worker keeps handling messages: each one is progress of `waiter`'s step.
    func waitUntilIdle(waiter: LoopMonitor? = nil) {
        condition.lock()
        waitLocked(while: { !pending.isEmpty || working }, waiter: waiter)
        condition.unlock()
    }

    /// Waits (holding the lock between waits) while `busy`, telling `waiter` each time it finds
    /// that the worker has handled more messages.
    private func waitLocked(while busy: () -> Bool, waiter: LoopMonitor?) {
        var seen = handled.load(ordering: .relaxed)
        while busy() {
            if napping {
                // An alarm waiting for its turn must not wait out the worker's pause as well.
                napping = false
                nap.signal()
            }
            idleWaiters += 1
            _ = condition.wait(until: Date(timeIntervalSinceNow: Self.progressCheck))
            idleWaiters -= 1
            let now = handled.load(ordering: .relaxed)
            if now != seen {
                seen = now
                waiter?.progressed()
            }
        }
    }

    /// Handles what is queued, then ends the worker.
    func stop() {
        condition.lock()
        stopping = true
        if napping {
            napping = false
            nap.signal()
        }
        condition.broadcast()
        condition.unlock()
        finished.wait()
    }

    private func run() {
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
            for message in batch {
                monitor.begin()
                process(message)
                handled.add(1, ordering: .relaxed)
            }
            monitor.end()
            let count = batch.count
            batch.removeAll(keepingCapacity: true)
            condition.lock()
            working = false
            if idleWaiters > 0 { condition.broadcast() }
            if count < 1_024, !stopping, idleWaiters == 0 {
                // A small batch means the network thread is about to hand over more: give it
                // a moment to build a batch rather than waking for every message. A message
                // waiting for its turn (`waitUntilIdle`) ends the moment at once: this pause
                // was half a millisecond of every alarm's path under heartbeat load
                // (docs/performance.md, "Where an alarm's time goes").
                napping = true
                condition.unlock()
                _ = nap.wait(timeout: .now() + pause)
                condition.lock()
                napping = false
            }
        }
        condition.unlock()
        finished.signal()
    }
}
