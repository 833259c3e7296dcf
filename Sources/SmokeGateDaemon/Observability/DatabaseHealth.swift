import Foundation
import Synchronization

/// Whether the database took the daemon's last write. The status writer writes at least once
/// a second, so its outcome answers `/healthz` without a probe write of its own competing
/// with ingest for SQLite's single writer.
final class DatabaseHealth: Sendable {
    private let state = Mutex<(ok: Bool, at: Date?)>((false, nil))

    /// A write older than this no longer vouches for the database (the writer may be stuck).
    static let freshness: TimeInterval = 5

    func recordWrite(succeeded: Bool, at now: Date = Date()) {
        state.withLock { $0 = (succeeded, now) }
    }

    /// The last write succeeded, and recently.
    func isWritable(at now: Date = Date()) -> Bool {
        state.withLock { state in
            guard state.ok, let at = state.at else { return false }
            return now.timeIntervalSince(at) <= Self.freshness
        }
    }
}
