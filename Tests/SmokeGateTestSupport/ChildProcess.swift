import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A process the tests started, by its id. Spawned with every signal unblocked and at its
/// default disposition, as systemd would start it: threads of the test runner block SIGTERM,
/// and a child must not inherit that.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `path` with `arguments`; output goes to the given files (or /dev/null).
    public init(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, standardOutput: String? = nil,
        standardError: String? = nil
    ) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, standardError ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let environment = environment ?? ProcessInfo.processInfo.environment
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else { throw TestSupportError("cannot start \(path): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            _ = reap(timeout: 5)
        }
    }

    /// Whether the process has not exited yet (reaping it if it has).
    public var isRunning: Bool { poll() == nil }

    /// The raw wait status once the process has exited.
    public func poll() -> Int32? {
        lock.withLock {
            if let status { return status }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid { status = raw }
            return status
        }
    }

    /// The exit code (or 128 + signal) once the process has exited.
    public var exitCode: Int32? {
        guard let raw = poll() else { return nil }
        let signal = raw & 0x7F
        return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
    }

    /// Blocks (polling) until the process exits or `timeout` passes.
    public func reap(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let code = exitCode { return code }
            Thread.sleep(forTimeInterval: 0.02)
        } while Date() < deadline
        return exitCode
    }

    /// Suspends until the process exits or `timeout` passes; returns its exit code.
    public func exit(timeout: TimeInterval) async -> Int32? {
        _ = await eventually(timeout: timeout) { !isRunning }
        return exitCode
    }

    /// Sends `signal`, waits up to `grace` seconds, then SIGKILLs; returns the exit code.
    @discardableResult
    public func end(signal: Int32 = SIGTERM, grace: TimeInterval = 10) -> Int32? {
        guard isRunning else { return exitCode }
        kill(pid, signal)
        if let code = reap(timeout: grace) { return code }
        kill(pid, SIGKILL)
        return reap(timeout: 5)
    }
}
