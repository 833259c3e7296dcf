import Logging
import ServiceLifecycle
import SmokeGateStore

/// Writes the heartbeat-updated device states and the rejected messages in one batch,
/// several times a second, and once more on shutdown.
struct HeartbeatFlusher: NamedService {
    let memory: DeviceMemory
    let store: Store
    let interval: Duration
    /// Where a write error that no retry can fix stops the daemon.
    let fatal: FatalStop
    let logger: Logger

    func run() async throws {
        let ticks = AsyncTimerSequence.repeating(every: interval).cancelOnGracefulShutdown()
        for await _ in ticks {
            flush()
        }
        flush()
    }

    /// One batch; a failed write is put back for the next tick.
    func flush() {
        let batch = memory.takeBatch()
        guard !batch.states.isEmpty || !batch.rejections.isEmpty else { return }
        do {
            try store.flush(batch.states)
            try store.record(batch.rejections)
        } catch {
            guard !fatal.failIfPermanent(error, loop: "flusher", logger: logger) else { return memory.restore(batch) }
            logger.error(
                "cannot flush device states; will retry", metadata: ["devices": "\(batch.states.count)", "error": "\(error)"])
            memory.restore(batch)
        }
    }
}
