import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Ends processes the tests started, by their id, without Foundation's `waitUntilExit`
/// (which spins on Linux when called while the test process winds down).
public enum ChildProcess {
    /// Sends `signal`, waits up to `grace` seconds, then SIGKILLs; returns the wait status.
    @discardableResult
    public static func end(_ pid: Int32, signal: Int32 = SIGTERM, grace: TimeInterval = 5) -> Int32? {
        guard pid > 0 else { return nil }
        kill(pid, signal)
        if let status = reap(pid, timeout: grace) { return status }
        kill(pid, SIGKILL)
        return reap(pid, timeout: 5)
    }

    /// Waits for `pid` to exit, polling; nil if it is still running after `timeout`.
    public static func reap(_ pid: Int32, timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        repeat {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return status }
            if result < 0 { return 0 }  // already reaped (by Foundation's own monitor)
            Thread.sleep(forTimeInterval: 0.02)
        } while Date() < deadline
        return nil
    }
}
