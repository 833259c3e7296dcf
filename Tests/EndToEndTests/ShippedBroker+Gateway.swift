import Foundation
import SmokeGateTestSupport

/// The real `smokegated` on the shipped broker, logged in as `smokegated` (or by its
/// certificate), over the plain loopback listener or the site's TLS listener: what a site
/// that follows docs/broker-security.md runs.
extension ShippedBroker {
    /// How the gateway reaches the broker.
    enum Route {
        /// The loopback listener, with the password.
        case plain
        /// The TLS listener, verifying the broker with the test CA, with the password.
        case tls
        /// The TLS listener with a client certificate whose CN is `smokegated` (no password:
        /// with `use_identity_as_username` the certificate is the login).
        case mutualTLS
    }

    /// A configuration set for the gateway on this broker by `route`.
    func gatewayConfiguration(_ route: Route) throws -> TestConfiguration {
        let files = try TestConfiguration(
            brokerPort: route == .plain ? port : tlsPort,
            login: route == .mutualTLS ? nil : ("smokegated", ShippedBroker.password))
        guard route != .plain else { return files }
        var tls = "\n  tls:\n    ca_file: \(certificates.caFile.path)"
        if route == .mutualTLS {
            let client = try certificates.client("smokegated")
            tls += "\n    cert_file: \(client.certificate.path)\n    key_file: \(client.key.path)"
        }
        let main = try String(contentsOf: files.mainFile, encoding: .utf8)
        let clientLine = "  client_id: smokegated-test"
        guard main.contains(clientLine) else { throw TestSupportError("the test configuration has no '\(clientLine)'") }
        try main.replacingOccurrences(of: clientLine, with: clientLine + tls)
            .write(to: files.mainFile, atomically: true, encoding: .utf8)
        return files
    }

    /// Starts the real daemon on `files` and waits until its status says it is connected
    /// (every subscription granted).
    func startGateway(_ files: TestConfiguration) async throws -> (process: BinaryProcess, store: StoreWatcher) {
        let process = try BinaryProcess("smokegated", ["--config", files.mainFile.path, "--log-level", "debug"])
        let store = StoreWatcher(path: files.databaseFile.path)
        guard try await eventually(timeout: 30, { try store.connected() }) else {
            await process.stop(signal: SIGKILL)
            throw TestSupportError("smokegated never connected:\n\(process.standardError)\nbroker:\n\(log)")
        }
        return (process, store)
    }

    /// A responders' system watching every call, logged in as `responders`.
    func responders() async throws -> TestSubscriber {
        try await TestSubscriber.connect(
            port: port, filters: ["smokegate/notify/#"], username: "responders", password: ShippedBroker.password)
    }
}
