import Foundation
import SmokeGateTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// mosquitto with persistence on, the shipped queue settings of `config/mosquitto.conf`, and
/// one way of saving its database (`autosave` lines), on a free loopback port. Its database
/// lives in `folder/db` and outlasts the process, so a stop, a crash and a start on another
/// setting act on the same queue.
final class PersistentBroker: @unchecked Sendable {
    let folder: URL
    let port: Int
    private var process: ChildProcess?

    init(in parent: URL) throws {
        folder = parent.appendingPathComponent("broker-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("db"), withIntermediateDirectories: true)
        // mosquitto, started as root, drops to its own user: it must be able to write here.
        for path in [folder.path, folder.appendingPathComponent("db").path] {
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: path)
        }
        port = try FreePort.find()
    }

    deinit { stop() }

    /// The lines of the shipped configuration that set `names`.
    static func shipped(_ names: [String]) throws -> [String] {
        let text = try String(contentsOfFile: "config/mosquitto.conf", encoding: .utf8)
        return text.split(separator: "\n").map(String.init).filter { line in names.contains { line.hasPrefix($0 + " ") } }
    }

    /// Starts mosquitto saving as `autosave` says, on whatever database the folder holds.
    func start(_ autosave: [String]) throws {
        stop()
        let queues = try Self.shipped([
            "max_queued_messages", "max_queued_bytes", "queue_qos0_messages", "max_inflight_messages", "set_tcp_nodelay",
        ])
        let lines =
            [
                "listener \(port) 127.0.0.1", "allow_anonymous true", "persistence true",
                "persistence_location \(folder.path)/db/", "log_dest file \(folder.path)/mosquitto.log", "log_type error",
                "log_type warning", "log_type notice",
            ] + queues + autosave
        let file = folder.appendingPathComponent("mosquitto.conf")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        process = try ChildProcess(try Executables.find("mosquitto", in: ["/usr/sbin", "/usr/bin"]), ["-c", file.path])
        guard FreePort.waitUntilListening(port, timeout: 10) else { throw BenchmarkFailure("mosquitto did not start") }
    }

    /// A clean stop: mosquitto saves its database on the way out.
    func stop() {
        guard let process else { return }
        self.process = nil
        process.end()
    }

    /// SIGKILL to the process we started: nothing is saved on the way out.
    func crash() {
        guard let process else { return }
        self.process = nil
        kill(process.pid, SIGKILL)
        _ = process.reap(timeout: 10)
    }

    /// The last lines of the broker's log.
    var logTail: String {
        let text = (try? String(contentsOf: folder.appendingPathComponent("mosquitto.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(20).joined(separator: "\n")
    }

    /// Forgets the database: the next start begins empty.
    func erase() throws {
        stop()
        let db = folder.appendingPathComponent("db")
        for name in try FileManager.default.contentsOfDirectory(atPath: db.path) {
            try FileManager.default.removeItem(at: db.appendingPathComponent(name))
        }
    }
}
