import Foundation
import SmokeGateTestSupport
import Testing

/// The gateway over the shipped broker's TLS listener (`broker.tls`), with certificates made
/// by openssl as docs/broker-security.md lays them out: server TLS with the site's CA, and
/// mutual TLS where the certificate is the login. Until these ran, TLS was wired but never
/// tried against a TLS listener.
@Suite(.serialized) struct BrokerTLSTests {
    static let alarm = #"{"type":"alarm","seq":1}"#
    static let gridCall = "smokegate/notify/grid/yq-c01-g01"

    @Test(.timeLimit(.minutes(2)))
    func theGatewayIngestsAnAlarmOverTLSAndCallsTheGrid() async throws {
        let broker = try ShippedBroker(detectors: ["det-1"])
        try broker.start()
        let responders = try await broker.responders()
        let gateway = try await broker.startGateway(try broker.gatewayConfiguration(.tls))
        // The detector on the site network: TLS, its own login.
        let sent = try MosquittoClient.publish(
            port: broker.tlsPort, topic: "smokegate/detectors/det-1/event", message: Self.alarm,
            options: ["--cafile", broker.certificates.caFile.path] + MosquittoClient.login("det-1"))
        #expect(sent.status == 0, "det-1 publishes over TLS: \(sent.said)")
        let store = gateway.store
        #expect(try await eventually { try store.alarms() == 1 }, "\(gateway.process.standardError)")
        #expect(
            await eventually { responders.received.contains { $0.topic == Self.gridCall && $0.field("device") == "det-1" } },
            "the grid is called over the gateway's TLS connection: \(responders.received.map(\.topic))")
        #expect(await gateway.process.stop() == 0)
    }

    @Test(.timeLimit(.minutes(2)))
    func aClientWithoutTheCAIsRefusedOverTLS() async throws {
        let broker = try ShippedBroker(detectors: ["det-1"])
        try broker.start()
        // Plain MQTT on the TLS port, and TLS trusting another CA: neither gets in.
        let plain = try MosquittoClient.publish(
            port: broker.tlsPort, topic: "smokegate/detectors/det-1/event", message: Self.alarm,
            options: MosquittoClient.login("det-1"))
        #expect(plain.status != 0, "plain MQTT on the TLS listener: \(plain.said)")
        let stranger = try broker.certificates.stranger("fake-broker-ca")
        let wrongCA = try MosquittoClient.publish(
            port: broker.tlsPort, topic: "smokegate/detectors/det-1/event", message: Self.alarm,
            options: ["--cafile", stranger.certificate.path] + MosquittoClient.login("det-1"))
        #expect(wrongCA.status != 0, "a broker certificate the client's CA did not sign: \(wrongCA.said)")
    }

    /// libmosquitto verifies the broker: a `ca_file` that did not sign the broker's
    /// certificate keeps the gateway out (retrying), however right its password.
    @Test(.timeLimit(.minutes(2)))
    func theGatewayRefusesABrokerItsCADidNotSign() async throws {
        let broker = try ShippedBroker()
        try broker.start()
        let files = try broker.gatewayConfiguration(.tls)
        let stranger = try broker.certificates.stranger("another-site-ca")
        let main = try String(contentsOf: files.mainFile, encoding: .utf8)
        try main.replacingOccurrences(of: broker.certificates.caFile.path, with: stranger.certificate.path)
            .write(to: files.mainFile, atomically: true, encoding: .utf8)
        let daemon = try BinaryProcess("smokegated", ["--config", files.mainFile.path])
        let store = StoreWatcher(path: files.databaseFile.path)
        #expect(
            await eventually(timeout: 30) { daemon.standardError.contains("cannot connect to the broker") },
            "\(daemon.standardError)")
        #expect(try await eventually { try store.status() != nil }, "the daemon writes its status while it retries")
        #expect(try store.status()?.connected == false, "never connected to a broker it cannot verify")
        #expect(daemon.child.isRunning, "an unverified broker is retried, not fatal")
        #expect(await daemon.stop() == 0)
    }

    @Test(.timeLimit(.minutes(2)))
    func withMutualTLSTheGatewayLogsInByItsCertificateAndAClientWithoutOneIsRefused() async throws {
        let broker = try ShippedBroker(mutualTLS: true)
        try broker.start()
        let responders = try await broker.responders()
        let gateway = try await broker.startGateway(try broker.gatewayConfiguration(.mutualTLS))
        let ca = ["--cafile", broker.certificates.caFile.path]
        // A detector with a certificate whose CN is its device id: the CN is its login (%u).
        let detector = try broker.certificates.client("det-1")
        let sent = try MosquittoClient.publish(
            port: broker.tlsPort, topic: "smokegate/detectors/det-1/event", message: Self.alarm,
            options: ca + ["-i", "det-1", "--cert", detector.certificate.path, "--key", detector.key.path])
        #expect(sent.status == 0, "det-1 publishes with its certificate: \(sent.said)")
        let store = gateway.store
        #expect(try await eventually { try store.alarms() == 1 }, "\(gateway.process.standardError)")
        #expect(
            await eventually { responders.received.contains { $0.topic == Self.gridCall && $0.field("device") == "det-1" } },
            "the grid is called: \(responders.received.map(\.topic))")

        // No certificate (a password does not help), or one from another CA: refused.
        let bare = try MosquittoClient.publish(
            port: broker.tlsPort, topic: "smokegate/detectors/det-1/event", message: Self.alarm,
            options: ca + MosquittoClient.login("det-1"))
        #expect(bare.status != 0, "a client without a certificate is refused: \(bare.said)")
        let stranger = try broker.certificates.stranger("det-1")
        let forged = try MosquittoClient.publish(
            port: broker.tlsPort, topic: "smokegate/detectors/det-1/event", message: Self.alarm,
            options: ca + ["--cert", stranger.certificate.path, "--key", stranger.key.path])
        #expect(forged.status != 0, "a certificate another CA signed is refused: \(forged.said)")
        // The CN is the identity: det-2's certificate cannot publish as det-1.
        let other = try broker.certificates.client("det-2")
        let spoof = try MosquittoClient.publish(
            port: broker.tlsPort, topic: "smokegate/detectors/det-1/event", message: #"{"type":"alarm","seq":2}"#,
            options: ca + ["--cert", other.certificate.path, "--key", other.key.path])
        #expect(spoof.status == 0, "det-2 is admitted: \(spoof.said)")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try store.alarms() == 1, "det-2's certificate published nothing as det-1")
        #expect(await gateway.process.stop() == 0)
    }
}
