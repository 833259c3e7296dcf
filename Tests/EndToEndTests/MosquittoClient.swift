import Foundation
import SmokeGateTestSupport

/// `mosquitto_pub` run once, as a detector on the site network runs it: over TLS with the
/// site's CA, with a password or a client certificate. Its exit status and what it said tell
/// whether the broker let it in (and, in MQTT 5, whether it took the message).
enum MosquittoClient {
    /// Publishes `message` on `topic` at QoS 1 to 127.0.0.1:`port`; `options` are further
    /// `mosquitto_pub` arguments (`-u`, `--cafile`, `--cert`, `-V mqttv5`…).
    static func publish(port: Int, topic: String, message: String, options: [String]) throws -> (
        status: Int32, said: String
    ) {
        let folder = try TemporaryFolder.make(prefix: "mosquitto-pub")
        let said = folder.appendingPathComponent("said").path
        let child = try ChildProcess(
            try Executables.find("mosquitto_pub", in: ["/usr/bin"]),
            ["-h", "127.0.0.1", "-p", "\(port)", "-q", "1", "-t", topic, "-m", message] + options,
            standardOutput: folder.appendingPathComponent("out").path, standardError: said)
        let status = child.reap(timeout: 30) ?? -1
        defer { try? FileManager.default.removeItem(at: folder) }
        return (status, (try? String(contentsOfFile: said, encoding: .utf8)) ?? "")
    }

    /// `mosquitto_pub`'s arguments for a login with a password.
    static func login(_ name: String, password: String = ShippedBroker.password) -> [String] {
        ["-i", "\(name)-\(UUID().uuidString.prefix(6))", "-u", name, "-P", password]
    }
}
