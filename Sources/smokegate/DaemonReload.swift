import Foundation
import SmokeGateStore

#if canImport(Glibc)
    import Glibc
#endif

/// Asks the running daemon to reload its configuration, as `systemctl reload smokegated`
/// does (SIGHUP), and waits for it to say how the reload went; or says what to run where the
/// daemon cannot be reached from here.
enum DaemonReload {
    /// What came of asking.
    enum Outcome {
        /// The daemon took the new configuration: what it applied.
        case reloaded(String)
        /// The daemon refused it and runs on the old one: every problem.
        case refused([String])
        /// Signalled, but it did not say within the wait.
        case noAnswer(pid: Int)
        /// Running here, but this account may not signal it.
        case notPermitted(pid: Int)
        /// Not running on this machine (stopped, or on another machine).
        case notRunning
    }

    /// How long to wait for the daemon's answer (reading a million detectors takes seconds).
    static let answerWait: TimeInterval = 30

    /// Signals the daemon whose status row in `store` says it runs on this machine.
    static func request(_ store: Store) -> Outcome {
        let now = Date()
        guard let status = try? store.readStatus(), status.isRunning(now: now, boot: BootClock.now(), staleAfter: 5) else {
            return .notRunning
        }
        // Written on another machine (a cluster's leader elsewhere): its pid means nothing here.
        if let boot = status.bootID, let here = BootClock.now().bootID, boot != here { return .notRunning }
        // The status row is fresh, so its pid is the daemon's; where /proc shows the process,
        // make sure the pid has not gone to another program since.
        if let name = try? String(contentsOfFile: "/proc/\(status.pid)/comm", encoding: .utf8),
            name.trimmingCharacters(in: .whitespacesAndNewlines) != "smokegated"
        {
            return .notRunning
        }
        let before = try? store.lastReload()
        guard kill(pid_t(status.pid), SIGHUP) == 0 else {
            return errno == EPERM ? .notPermitted(pid: status.pid) : .notRunning
        }
        let deadline = Date().addingTimeInterval(answerWait)
        while Date() < deadline {
            if let record = try? store.lastReload(), record != before, record.pid == status.pid {
                return record.succeeded ? .reloaded(record.summary) : .refused(record.problems)
            }
            usleep(100_000)
        }
        return .noAnswer(pid: status.pid)
    }
}
