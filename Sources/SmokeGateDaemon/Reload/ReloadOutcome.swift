import SmokeGateStore
import Synchronization

/// The last reload's outcome, read by the service manager's status line.
final class ReloadOutcome: Sendable {
    private let last = Mutex<ReloadRecord?>(nil)

    func set(_ record: ReloadRecord) { last.withLock { $0 = record } }

    var record: ReloadRecord? { last.withLock { $0 } }

    /// `STATUS=` text for a reload: said loudly when it was refused.
    var statusLine: String {
        guard let record else { return "" }
        return record.succeeded
            ? "reloaded: \(record.summary)"
            : "LAST RELOAD REFUSED (\(record.problems.count) problem(s)): still on the old configuration"
    }
}
