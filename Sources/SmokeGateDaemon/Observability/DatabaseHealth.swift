import Foundation
import Synchronization

/// Whether the database took the daemon's last write. The status writer writes at least once
/// a second, so its outcome answers `/healthz` without a probe write of its own competing
/// with ingest for SQLite's single writer.
final class DatabaseHealth: Sendable {
    /// How recent the last write is, on the monotonic clock: a wall-clock step must neither
    /// make a stuck writer look fresh (a step back) nor a working one stale (a step forward).
    private let state = Mutex<(ok: Bool, at: ContinuousClock.Instant?)>((false, nil))
    private let clock = ContinuousClock()

    /// A write older than this no longer vouches for the database (the writer may be stuck).
    static let freshness: Duration = .seconds(5)

    func recordWrite(succeeded: Bool) {
        let now = clock.now
        state.withLock { $0 = (succeeded, now) }
    }

    /// The last write succeeded, and recently.
    func isWritable() -> Bool {
        let now = clock.now
        return state.withLock { state in
            guard state.ok, let at = state.at else { return false }
            return now - at <= Self.freshness
        }
    }
}
