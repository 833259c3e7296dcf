import Foundation
import SmokeGateTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The shipped production broker configuration (`config/mosquitto.conf`) and ACL
/// (`config/mosquitto.acl`) run on free loopback ports, changed only where a test machine
/// must: where their files live, the ports (the site's TLS listener on loopback too), the
/// certificates (made for the test), the password file and the log. Logins (password
/// `secret`): `smokegated`, `responders`, and each of `detectors`, made by the shipped
/// provisioning script (`scripts/provision-detector.sh`).
final class ShippedBroker: @unchecked Sendable {
    static let password = "secret"
    let folder: URL
    /// The plain loopback listener (the shipped `listener 1883 127.0.0.1`).
    let port: Int
    /// The site network's TLS listener (the shipped `listener 8883`).
    let tlsPort: Int
    let certificates: TestCertificates
    let configuration: URL
    let passwordFile: URL
    let aclFile: URL
    private var process: ChildProcess?

    /// Writes the adapted configuration, ACL, certificates and password file; `start()` runs
    /// it. `replacing` changes lines of the shipped file first (to try another setting);
    /// `mutualTLS` uncomments the shipped `require_certificate` and `use_identity_as_username`;
    /// `extraACL` is appended to the shipped ACL (test-only logins).
    init(
        replacing changes: [(String, String)] = [], mutualTLS: Bool = false, detectors: [String] = [],
        extraACL: String = ""
    ) throws {
        let root = CommandLineTests.packageRoot
        var shipped = try String(contentsOf: root.appendingPathComponent("config/mosquitto.conf"), encoding: .utf8)
        for (old, new) in changes { shipped = shipped.replacingOccurrences(of: old, with: new) }
        if mutualTLS {
            for setting in ["require_certificate true", "use_identity_as_username true"] {
                guard shipped.contains("\n# \(setting)\n") else {
                    throw TestSupportError("config/mosquitto.conf has no commented '\(setting)' to turn on")
                }
                shipped = shipped.replacingOccurrences(of: "\n# \(setting)\n", with: "\n\(setting)\n")
            }
        }
        folder = try TemporaryFolder.make(prefix: "production-broker")
        // mosquitto, started as root, drops to its own user: it must be able to write here.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        certificates = try TestCertificates()
        passwordFile = folder.appendingPathComponent("passwd")
        let tool = try Executables.find("mosquitto_passwd", in: ["/usr/bin"])
        for (position, user) in ["smokegated", "responders"].enumerated() {
            let arguments = (position == 0 ? ["-c"] : []) + ["-b", passwordFile.path, user, Self.password]
            guard try ChildProcess(tool, arguments).reap(timeout: 20) == 0 else {
                throw TestSupportError("mosquitto_passwd failed for \(user)")
            }
        }
        aclFile = folder.appendingPathComponent("acl")
        let acl = try String(contentsOf: root.appendingPathComponent("config/mosquitto.acl"), encoding: .utf8)
        try (acl + extraACL).write(to: aclFile, atomically: true, encoding: .utf8)
        port = try FreePort.find()
        var tls = try FreePort.find()
        while tls == port { tls = try FreePort.find() }
        tlsPort = tls
        let adapted = shipped.replacingOccurrences(of: "/var/lib/mosquitto/", with: folder.path + "/")
            .replacingOccurrences(of: "password_file /etc/mosquitto/passwd", with: "password_file \(passwordFile.path)")
            .replacingOccurrences(of: "acl_file /etc/mosquitto/acl", with: "acl_file \(aclFile.path)")
            .replacingOccurrences(of: "listener 1883 127.0.0.1", with: "listener \(port) 127.0.0.1")
            .replacingOccurrences(of: "listener 8883\n", with: "listener \(tlsPort) 127.0.0.1\n")
            .replacingOccurrences(of: "/etc/mosquitto/certs/broker.crt", with: certificates.brokerCertificate.path)
            .replacingOccurrences(of: "/etc/mosquitto/certs/broker.key", with: certificates.brokerKey.path)
            .replacingOccurrences(of: "/etc/mosquitto/certs/ca.crt", with: certificates.caFile.path)
            .replacingOccurrences(of: "log_dest syslog", with: "log_dest file \(folder.path)/mosquitto.log")
        configuration = folder.appendingPathComponent("mosquitto.conf")
        try adapted.write(to: configuration, atomically: true, encoding: .utf8)
        for device in detectors {
            let result = try provision(device)
            guard result.status == 0 else { throw TestSupportError("provisioning \(device) failed: \(result.output)") }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: passwordFile.path)
    }

    /// Runs the shipped `scripts/provision-detector.sh` on this broker's password file and
    /// ACL, `password` on its standard input as an operator pipes it. Returns its status and
    /// what it said (standard output and error).
    @discardableResult
    func provision(_ device: String, password: String = ShippedBroker.password) throws -> (status: Int32, output: String) {
        let script = CommandLineTests.packageRoot.appendingPathComponent("scripts/provision-detector.sh").path
        let log = folder.appendingPathComponent("provision.log").path
        var environment = ProcessInfo.processInfo.environment
        environment["SECRET"] = password
        environment["SCRIPT"] = script
        environment["DEVICE"] = device
        environment["PASSWORDS"] = passwordFile.path
        environment["ACL"] = aclFile.path
        let child = try ChildProcess(
            "/bin/sh", ["-c", #"printf '%s\n' "$SECRET" | "$SCRIPT" --acl "$ACL" "$PASSWORDS" "$DEVICE" 2>&1"#],
            environment: environment, standardOutput: log)
        let status = child.reap(timeout: 30) ?? -1
        return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    deinit {
        process?.end()
    }

    /// Starts the broker (on the database it left, if any) and waits until it listens.
    func start() throws {
        guard process == nil else { return }
        process = try ChildProcess(try Executables.find("mosquitto", in: ["/usr/sbin", "/usr/bin"]), ["-c", configuration.path])
        guard FreePort.waitUntilListening(port, timeout: 10), FreePort.waitUntilListening(tlsPort, timeout: 10) else {
            throw TestSupportError("the shipped broker configuration did not start: \(log)")
        }
    }

    /// Tells the broker we started, by its id, to read its password file and ACL again
    /// (SIGHUP), as `systemctl reload mosquitto` does.
    func reload() {
        guard let process else { return }
        kill(process.pid, SIGHUP)
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
