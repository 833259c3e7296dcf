import Logging
import SmokeGateStore
import SmokeGateSync
import Synchronization

/// Where a loop reports a failure it must not retry: the first one is kept, the daemon is
/// told to stop (`bell`), and every later writer sees `hasFailed` and gives up at once.
final class FatalStop: Sendable {
    private let first = Mutex<DaemonFailure?>(nil)
    /// Rung once, by the first failure.
    let bell = Doorbell()

    /// The failure the daemon stopped for, if any.
    var failure: DaemonFailure? { first.withLock { $0 } }

    var hasFailed: Bool { failure != nil }

    /// Records `failure` (the first one wins), logs it at critical and starts the shutdown.
    func fail(_ failure: DaemonFailure, logger: Logger) {
        let isFirst = first.withLock { first in
            guard first == nil else { return false }
            first = failure
            return true
        }
        var metadata: Logger.Metadata = ["loop": "\(failure.loop)", "error": "\(failure.error)"]
        if let device = failure.device { metadata["device"] = "\(device)" }
        // The first failure is the news; those that follow while the daemon stops are its echo.
        logger.log(
            level: isFirst ? .critical : .error,
            "cannot store, and retrying will not help: restarting so the broker redelivers", metadata: metadata)
        if isFirst { bell.ring() }
    }

    /// If `error` is one no retry can fix, fails the daemon with it and returns true; the
    /// caller then stops its loop instead of retrying.
    func failIfPermanent(_ error: any Error, loop: String, device: String? = nil, logger: Logger) -> Bool {
        guard !StoreFailure.isTransient(error) else { return false }
        fail(DaemonFailure(loop: loop, device: device, error: "\(error)"), logger: logger)
        return true
    }
}
