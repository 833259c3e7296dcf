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
