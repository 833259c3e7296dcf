import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real PostgreSQL server on a free loopback port, in a folder of its own, started by a test
/// and ended by its own process id and data folder: the store's tests run against the engine
/// that ships, not a stand-in. `shared()` gives a test process one server for all its suites.
public final class TestPostgres: @unchecked Sendable {
    /// The loopback address the server listens on; it listens nowhere else.
    public let host = "127.0.0.1"
    /// Its TCP port, kept across `stop()` and `start()` so clients reconnect to the same place.
    public private(set) var port: Int
    /// The superuser initdb made; the gateway connects as it.
    public let user = "smokegate"
    /// The empty database made at the first start.
    public let database = "smokegate"
    /// The superuser's password over TCP (SCRAM), or nil when every login is trusted.
    public let password: String?
    /// The server's own folder: data, unix socket, logs, and the password file. `shutdown()` removes it.
    public let folder: URL
    let binaries: URL
    let serverUser: ServerUser?
    private let lock = NSLock()
    private var process: ChildProcess?
    /// The watcher of the running server (`outliveNot`): held, since a `ChildProcess` let go
    /// of ends its process.
    private var watcher: ChildProcess?
    private var starts = 0
    let durable: Bool
    /// Server settings beyond the harness's own, as `name=value` (`-c` at each start).
    let settings: [String]

    /// Makes a cluster in a new folder, starts it and creates `database`. With `password`, TCP
    /// logins need it, as in production; the harness itself talks over the trusted unix socket.
    /// `durable: false` runs it without fsync, for suites that test rules rather than the disk
    /// (a crash of the machine, not of the server, is what fsync is for).
    public static func start(password: String? = nil, durable: Bool = true) throws -> TestPostgres {
        let server = try TestPostgres(password: password, durable: durable)
        try server.initialise()
        try server.startOnFreePort()
        try server.createDatabase(server.database)
        return server
    }

    /// A server that takes TLS too (`ssl = on`), with the certificate `certificates` made for
    /// the broker (valid for 127.0.0.1 and localhost): each client chooses plain text or TLS.
    public static func startWithTLS(_ certificates: TestCertificates) throws -> TestPostgres {
        // Relative to the data folder.
        let settings = ["ssl=on", "ssl_cert_file=server.crt", "ssl_key_file=server.key"]
        let server = try TestPostgres(password: nil, durable: false, settings: settings)
        try server.initialise()
        try server.installCertificate(certificates)
        try server.startOnFreePort()
        try server.createDatabase(server.database)
        return server
    }

    /// The certificate and its key in the data folder, the key readable by the server's user
    /// alone (PostgreSQL refuses one that others can read).
    private func installCertificate(_ certificates: TestCertificates) throws {
        for (file, name) in [(certificates.brokerCertificate, "server.crt"), (certificates.brokerKey, "server.key")] {
            let copy = dataFolder.appendingPathComponent(name)
            try FileManager.default.copyItem(at: file, to: copy)
            chmod(copy.path, 0o600)
            if let serverUser { chown(copy.path, serverUser.uid, serverUser.gid) }
        }
    }

    /// The first start, on another free port while postgres says the one it was given is taken.
    func startOnFreePort() throws {
        // Another test process may take the port between the check and postgres's bind.
        for attempt in 1...3 {
            do {
                try start()
                return
            } catch {
                guard attempt < 3, logTail().contains("could not bind") else { throw error }
                port = try FreePort.findBelowEphemeralRange()
            }
        }
    }

    /// A server not made yet: `initialise()` or a base backup (`startStandby`) fills its folder.
    init(password: String?, durable: Bool, settings: [String] = []) throws {
        self.durable = durable
        self.settings = settings
        binaries = try Self.binaryFolder()
        serverUser = try ServerUser.forThisProcess()
        // Below the ephemeral range: the server must get its port back after a stop, while
        // clients take ephemeral ports all the time.
        port = try FreePort.findBelowEphemeralRange()
        self.password = password
        folder = try TemporaryFolder.make(prefix: "postgres")
    }

    deinit {
        shutdown()
    }

    /// `postgresql://smokegate@127.0.0.1:PORT/smokegate`, without the password (a gateway
    /// reads it from `passwordFile`).
    public var url: String { url(database: database) }

    /// The URL of another database on this server.
    public func url(database: String) -> String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    /// A file holding `password` (mode 0600), for `database_password_file`; nil without a password.
    public var passwordFile: URL? { password == nil ? nil : folder.appendingPathComponent("password") }

    /// The server process's id while it runs (stopped by SIGSTOP counts as running).
    public var pid: pid_t? { lock.withLock { process?.isRunning == true ? process?.pid : nil } }

    var dataFolder: URL { folder.appendingPathComponent("data") }

    private func initialise() throws {
        if let serverUser { chown(folder.path, serverUser.uid, serverUser.gid) }
        // No sync of initdb's files: they only need to survive a process crash, which the page
        // cache does; the server itself runs with fsync on.
        var arguments = ["-D", dataFolder.path, "-U", user, "--locale=C", "--encoding=UTF8", "--no-sync"]
        guard let password, let passwordFile else {
            try run("initdb", arguments + ["--auth=trust"], asServer: true, timeout: 60)
            return
        }
        let initial = folder.appendingPathComponent("initdb-password")
        try write(password, to: initial)
        if let serverUser { chown(initial.path, serverUser.uid, serverUser.gid) }
        defer { try? FileManager.default.removeItem(at: initial) }
        arguments += ["--auth-host=scram-sha-256", "--auth-local=trust", "--pwfile=\(initial.path)"]
        try run("initdb", arguments, asServer: true, timeout: 60)
        try write(password, to: passwordFile)
    }

    /// Starts (or restarts, after `stop` or `kill(signal: SIGKILL)`) the server on the same
    /// folder and port, and waits until it accepts queries.
    public func start() throws {
        try lock.withLock {
            guard process?.isRunning != true else { return }
            starts += 1
            let server = [
                binaries.appendingPathComponent("postgres").path, "-D", dataFolder.path, "-h", host, "-p", "\(port)",
                "-k", folder.path, "-c", "listen_addresses=\(host)", "-c", "fsync=\(durable ? "on" : "off")",
                "-c", "max_connections=500",
                // After a crash, sync the data with one syncfs instead of an fsync per file: 0.3 s, not 3.
                "-c", "recovery_init_sync_method=syncfs",
            ]
            let command = try asServerUser(server + settings.flatMap { ["-c", $0] })
            let started = try ChildProcess(
                command[0], Array(command.dropFirst()), environment: Self.environment,
                standardError: folder.appendingPathComponent("server-\(starts).log").path)
            process = started
            watcher = try Self.outliveNot(started.pid)
        }
        try waitUntilReady(timeout: 30)
    }

    /// Kills the server `pid` once this test process is gone, however it went (a crash, a
    /// `timeout`, an exit that runs no handler): a watcher of its own polls the test process
    /// once a second. No test server outlives the run that started it. The caller holds the
    /// watcher: let go of, it would be killed at once (`ChildProcess.deinit`), as it was until
    /// a crashed test run left its servers behind.
    private static func outliveNot(_ pid: pid_t) throws -> ChildProcess {
        let test = getpid()
        let watch = """
            while kill -0 \(test) 2>/dev/null && kill -0 \(pid) 2>/dev/null; do sleep 1; done
            kill -0 \(test) 2>/dev/null || kill -9 \(pid) 2>/dev/null
            """
        return try ChildProcess("/bin/sh", ["-c", watch])
    }

    /// Polls until the server says "ready" in its pid file (as `pg_ctl -w` does) and then
    /// answers on its TCP port, so that a recovery does not log a refused login per poll.
    private func waitUntilReady(timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            guard let pid else { throw failure("postgres exited while starting") }
            if saysReady(pid), FreePort.canConnect(port), (try? answers()) != nil { return }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        throw failure("postgres did not accept queries on \(host):\(port) within \(Int(timeout)) s")
    }

    /// Whether postmaster.pid names `pid` and its status line (the eighth) says "ready" (or
    /// "standby": a hot standby taking read-only queries).
    private func saysReady(_ pid: pid_t) -> Bool {
        let file = dataFolder.appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return false }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return lines.count > 7 && lines[0] == "\(pid)" && ["ready", "standby"].contains(lines[7])
    }

    /// pg_isready over TCP, else a query over the socket.
    private func answers() throws {
        if FileManager.default.isExecutableFile(atPath: binaries.appendingPathComponent("pg_isready").path) {
            try run("pg_isready", ["-h", host, "-p", "\(port)", "-U", user, "-d", "postgres", "-t", "2"])
        } else {
            try psql("select 1", database: "postgres")
        }
    }

    /// Stops the server: `immediately` as a crash would (no checkpoint; recovery at the next
    /// start), else the fast way (sessions ended, a checkpoint written). Bounded: what is still
    /// running after pg_ctl's 30 s is SIGKILLed.
    public func stop(immediately: Bool = false) {
        guard let process = lock.withLock({ process }), process.isRunning else { return }
        signalServer(SIGCONT)  // a frozen server cannot shut down
        let mode = immediately ? "immediate" : "fast"
        _ = try? run("pg_ctl", ["stop", "-D", dataFolder.path, "-m", mode, "-w", "-t", "30"], asServer: true, timeout: 40)
        if process.reap(timeout: 5) == nil { kill(signal: SIGKILL) }
        lock.withLock { self.process = nil }
    }

    /// Sends `signal` to the server and every process it forked (backends, checkpointer, WAL
    /// writer), as a host that freezes (SIGSTOP), thaws (SIGCONT) or dies (SIGKILL) would.
    /// After SIGKILL it waits until they are all gone, so `start()` can recover the folder.
    public func kill(signal: Int32) {
        guard let process = lock.withLock({ process }) else { return }
        let family = signalServer(signal)
        guard signal == SIGKILL else { return }
        _ = process.reap(timeout: 10)
        let deadline = Date().addingTimeInterval(10)
        while family.contains(where: isAlive), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        lock.withLock { self.process = nil }
    }

    /// Signals the server and its children by id; returns the children.
    @discardableResult
    private func signalServer(_ signal: Int32) -> [pid_t] {
        guard let pid else { return [] }
        let children = childProcesses(of: pid)
        send(signal, to: pid)
        children.forEach { send(signal, to: $0) }
        return children
    }

    /// Stops the server at once and removes its folder; `deinit` does it too.
    public func shutdown() {
        stop(immediately: true)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `sql` with `psql -At` in `database` (default the server's own) over the unix socket
    /// and returns what it printed, trimmed: for assertions. Throws after `timeout` (a frozen
    /// server never answers).
    @discardableResult
    public func psql(_ sql: String, database: String? = nil, timeout: TimeInterval = 30) throws -> String {
        try run(
            "psql",
            [
                "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", folder.path, "-p", "\(port)", "-U", user, "-d",
                database ?? self.database, "-c", sql,
            ], timeout: timeout
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates the empty database `name` (UTF8, C locale, from template0).
    func createDatabase(_ name: String) throws {
        try run(
            "createdb",
            ["-h", folder.path, "-p", "\(port)", "-U", user, "-T", "template0", "-E", "UTF8", "--locale=C", name])
    }

    /// The last `lines` lines the server logged, over all its starts: for failure messages.
    public func logTail(lines: Int = 30) -> String {
        let logs = (1...max(starts, 1)).compactMap {
            try? String(contentsOf: folder.appendingPathComponent("server-\($0).log"), encoding: .utf8)
        }
        return logs.joined().split(separator: "\n", omittingEmptySubsequences: false).suffix(lines)
            .joined(separator: "\n")
    }

    func failure(_ what: String) -> TestSupportError {
        TestSupportError("\(what) (folder \(folder.path)); server log:\n\(logTail())")
    }

    /// Runs one of the server's tools to completion and returns its standard output; as the
    /// server's user when `asServer` (initdb and pg_ctl refuse root).
    @discardableResult
    func run(_ tool: String, _ arguments: [String], asServer: Bool = false, timeout: TimeInterval = 30)
        throws -> String
    {
        let path = binaries.appendingPathComponent(tool).path
        let command = FileManager.default.isExecutableFile(atPath: path) ? path : try Executables.find(tool, in: [])
        let full = asServer ? try asServerUser([command] + arguments) : [command] + arguments
        let name = "\(tool)-\(UUID().uuidString.prefix(8))"
        let output = folder.appendingPathComponent(name + ".out")
        let errors = folder.appendingPathComponent(name + ".err")
        defer { [output, errors].forEach { try? FileManager.default.removeItem(at: $0) } }
        let child = try ChildProcess(
            full[0], Array(full.dropFirst()), environment: Self.environment, standardOutput: output.path,
            standardError: errors.path)
        let said = { (file: URL) in (try? String(contentsOf: file, encoding: .utf8)) ?? "" }
        guard let code = child.reap(timeout: timeout) else {
            child.end(signal: SIGKILL, grace: 5)
            throw failure("\(tool) \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
        }
        guard code == 0 else {
            throw failure("\(tool) \(arguments.joined(separator: " ")) exited with \(code): \(said(errors))")
        }
        return said(output)
    }

    /// `command` prefixed to run as the server's user when we are root; setpriv execs it, so
    /// the process id we hold is postgres's own.
    private func asServerUser(_ command: [String]) throws -> [String] {
        guard let serverUser else { return command }
        if let setpriv = try? Executables.find("setpriv", in: ["/usr/bin", "/bin"]) {
            return [setpriv, "--reuid=\(serverUser.uid)", "--regid=\(serverUser.gid)", "--init-groups", "--"] + command
        }
        return [try Executables.find("runuser", in: ["/usr/sbin", "/sbin"]), "-u", serverUser.name, "--"] + command
    }

    func write(_ text: String, to file: URL) throws {
        guard FileManager.default.createFile(atPath: file.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw failure("cannot write \(file.path)") }
    }

    /// The test's environment without PG* variables (a developer's PGHOST must not redirect
    /// the harness) and in the C locale.
    private static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["LC_ALL"] = "C"
        return environment
    }

    /// The folder of initdb, postgres and pg_ctl: where PATH's initdb really lives (Debian
    /// links it from elsewhere, if at all), else the newest `/usr/lib/postgresql/*/bin`.
    static func binaryFolder() throws -> URL {
        let needed = ["initdb", "postgres", "pg_ctl"]
        let complete = { (folder: URL) in
            needed.allSatisfy { FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent($0).path) }
        }
        if let initdb = try? Executables.find("initdb", in: []) {
            let folder = URL(fileURLWithPath: initdb).resolvingSymlinksInPath().deletingLastPathComponent()
            if complete(folder) { return folder }
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { $0.compare($1, options: .numeric) == .orderedDescending }) {
            let folder = URL(fileURLWithPath: "/usr/lib/postgresql/\(version)/bin")
            if complete(folder) { return folder }
        }
        throw TestSupportError("PostgreSQL's initdb, postgres and pg_ctl not found: run `make deps` to install them")
    }
}

private func send(_ signal: Int32, to pid: pid_t) {
    kill(pid, signal)
}

/// The processes whose parent is `pid`, from /proc.
private func childProcesses(of pid: pid_t) -> [pid_t] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { pid_t($0) }.filter { statusFields($0)?.parent == pid }
}

/// Whether `pid` exists and is not a zombie.
private func isAlive(_ pid: pid_t) -> Bool {
    guard let state = statusFields(pid)?.state else { return false }
    return state != "Z" && state != "X"
}

/// The state and parent fields of /proc/PID/stat (after the command name, which may hold spaces).
private func statusFields(_ pid: pid_t) -> (state: Character, parent: pid_t)? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = text.lastIndex(of: ")")
    else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 1, let state = fields[0].first, let parent = pid_t(fields[1]) else { return nil }
    return (state, parent)
}
