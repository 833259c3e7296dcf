import Foundation

/// A real mosquitto broker on a free loopback port, started for one test and ended by its
/// process id when the test is done.
public final class MosquittoBroker: @unchecked Sendable {
    public let port: Int
    public let folder: URL
    private var process: ChildProcess?
    private let persistence: Bool

    /// Starts a broker; `persistence` keeps sessions across a broker restart; with
    /// `passwordFile` only those users may connect; `nagle` leaves Nagle's algorithm on, as
    /// mosquitto does by default, for a benchmark measuring what the shipped setting saves.
    public init(
        persistence: Bool = false, passwordFile: String? = nil, nagle: Bool = false, extraConfiguration: String = ""
    ) throws {
        folder = try TemporaryFolder.make(prefix: "broker")
        self.persistence = persistence
        port = try FreePort.find()
        var lines = [
            "listener \(port) 127.0.0.1",
            passwordFile.map { "allow_anonymous false\npassword_file \($0)" } ?? "allow_anonymous true", "max_queued_messages 0",
            // Two settings that only work together on mosquitto 2.0 (see config/mosquitto.conf):
            // the tests run with what ships.
            try Self.shipped("max_inflight_messages"), try Self.shipped("queue_qos0_messages"),
            // Without it, a session that takes the whole stream gets an alarm behind the
            // heartbeats' unacknowledged segments.
            nagle ? "set_tcp_nodelay false" : try Self.shipped("set_tcp_nodelay"),
            "log_dest file \(folder.path)/mosquitto.log", "log_type error", "log_type warning",
        ]
        if persistence {
            // Started as root, mosquitto drops to its own user, which must be able to write
            // its database here; the folder is the test's own and removed afterwards.
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
            lines += ["persistence true", "persistence_location \(folder.path)/", "autosave_interval 1"]
        } else {
            lines.append("persistence false")
        }
        try (lines.joined(separator: "\n") + "\n" + extraConfiguration + "\n")
            .write(to: folder.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
        try start()
    }

    deinit {
        stop()
    }

    /// The line setting `name` in the shipped production configuration (`config/mosquitto.conf`),
    /// for settings whose behaviour the gateway relies on: tests then run against what ships.
    public static func shipped(_ name: String) throws -> String {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/mosquitto.conf")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw TestSupportError("cannot read the shipped broker configuration \(file.path)")
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + " ") }) else {
            throw TestSupportError("\(file.path) does not set \(name)")
        }
        return String(line)
    }

    /// Starts (or restarts) the broker process and waits until it accepts connections.
    public func start() throws {
        guard process == nil else { return }
        process = try ChildProcess(
            try Executables.find("mosquitto", in: ["/usr/sbin", "/usr/bin"]),
            ["-c", folder.appendingPathComponent("mosquitto.conf").path])
        guard FreePort.waitUntilListening(port, timeout: 10) else {
            stop()
            throw TestSupportError("mosquitto did not start listening on 127.0.0.1:\(port)")
        }
    }

    /// Tells the broker we started, by its id, to reload its configuration (SIGHUP): the
    /// password file and the ACL are read again, as `systemctl reload mosquitto` does.
    public func reload() throws {
        guard let process else { throw TestSupportError("the broker is not running") }
        kill(process.pid, SIGHUP)
    }

    /// Ends the broker process we started, by its id: SIGTERM, then SIGKILL if it lingers.
    public func stop() {
        guard let process else { return }
        self.process = nil
        process.end()
    }
}
