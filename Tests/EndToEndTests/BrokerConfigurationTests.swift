import Foundation
import SmokeGateTestSupport
import Testing

/// The shipped production broker configuration (`config/mosquitto.conf`) starts, admits
/// only its users, and keeps sessions on disk.
@Suite struct BrokerConfigurationTests {
    @Test func theProductionBrokerConfigurationStartsAndAdmitsOnlyItsUsers() async throws {
        let shipped = try String(
            contentsOf: CommandLineTests.packageRoot.appendingPathComponent("config/mosquitto.conf"), encoding: .utf8)
        let folder = try TemporaryFolder.make(prefix: "production-broker")
        // mosquitto, started as root, drops to its own user: it must be able to write here.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        let passwords = folder.appendingPathComponent("passwd").path
        let tool = try Executables.find("mosquitto_passwd", in: ["/usr/bin"])
        #expect(try ChildProcess(tool, ["-c", "-b", passwords, "smokegated", "secret"]).reap(timeout: 20) == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: passwords)
        let port = try FreePort.find()
        // Only what a test machine must change: where files live, the port, and the log.
        let configuration = shipped.replacingOccurrences(of: "/var/lib/mosquitto/", with: folder.path + "/")
            .replacingOccurrences(of: "password_file /etc/mosquitto/passwd", with: "password_file \(passwords)")
            .replacingOccurrences(of: "listener 1883 127.0.0.1", with: "listener \(port) 127.0.0.1")
            .replacingOccurrences(of: "log_dest syslog", with: "log_dest file \(folder.path)/mosquitto.log")
        let file = folder.appendingPathComponent("mosquitto.conf")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        let broker = try ChildProcess(try Executables.find("mosquitto", in: ["/usr/sbin", "/usr/bin"]), ["-c", file.path])
        defer { broker.end() }
        #expect(
            FreePort.waitUntilListening(port, timeout: 10),
            "\((try? String(contentsOfFile: folder.path + "/mosquitto.log", encoding: .utf8)) ?? "")")
        let publisher = try await TestPublisher.connect(port: port, username: "smokegated", password: "secret")
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"heartbeat"}"#)
        let anonymous = try ChildProcess(
            try Executables.find("mosquitto_pub", in: ["/usr/bin"]), ["-h", "127.0.0.1", "-p", "\(port)", "-t", "x", "-m", "y"])
        let refused = anonymous.reap(timeout: 20)
        #expect(refused != nil && refused != 0, "an anonymous client is refused")
    }
}
