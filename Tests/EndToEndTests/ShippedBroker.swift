import Foundation
import SmokeGateTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The shipped production broker configuration (`config/mosquitto.conf`) run on a free
/// loopback port, changed only where a test machine must: where its files live, the port,
/// the password file and the log. One user, `smokegated`, password `secret`.
final class ShippedBroker: @unchecked Sendable {
    let folder: URL
    let port: Int
    let configuration: URL
    private var process: ChildProcess?

    /// Writes the adapted configuration and its password file; `start()` runs it.
    /// `replacing` changes lines of the shipped file first (to try another setting).
    init(replacing changes: [(String, String)] = []) throws {
        var shipped = try String(
            contentsOf: CommandLineTests.packageRoot.appendingPathComponent("config/mosquitto.conf"), encoding: .utf8)
        for (old, new) in changes { shipped = shipped.replacingOccurrences(of: old, with: new) }
        folder = try TemporaryFolder.make(prefix: "production-broker")
        // mosquitto, started as root, drops to its own user: it must be able to write here.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        let passwords = folder.appendingPathComponent("passwd").path
        let tool = try Executables.find("mosquitto_passwd", in: ["/usr/bin"])
        guard try ChildProcess(tool, ["-c", "-b", passwords, "smokegated", "secret"]).reap(timeout: 20) == 0 else {
            throw TestSupportError("mosquitto_passwd failed")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: passwords)
        port = try FreePort.find()
        let adapted = shipped.replacingOccurrences(of: "/var/lib/mosquitto/", with: folder.path + "/")
            .replacingOccurrences(of: "password_file /etc/mosquitto/passwd", with: "password_file \(passwords)")
            .replacingOccurrences(of: "listener 1883 127.0.0.1", with: "listener \(port) 127.0.0.1")
            .replacingOccurrences(of: "log_dest syslog", with: "log_dest file \(folder.path)/mosquitto.log")
        configuration = folder.appendingPathComponent("mosquitto.conf")
        try adapted.write(to: configuration, atomically: true, encoding: .utf8)
    }

    deinit {
        process?.end()
    }

    /// Starts the broker (on the database it left, if any) and waits until it listens.
    func start() throws {
        guard process == nil else { return }
        process = try ChildProcess(try Executables.find("mosquitto", in: ["/usr/sbin", "/usr/bin"]), ["-c", configuration.path])
        guard FreePort.waitUntilListening(port, timeout: 10) else {
            throw TestSupportError("the shipped broker configuration did not start: \(log)")
        }
    }

    /// Kills the broker we started, by its id, with SIGKILL: nothing is saved on the way out.
    func crash() {
        guard let process else { return }
        self.process = nil
        kill(process.pid, SIGKILL)
        _ = process.reap(timeout: 10)
    }

    var log: String { (try? String(contentsOfFile: folder.path + "/mosquitto.log", encoding: .utf8)) ?? "" }
}
