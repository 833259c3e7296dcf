import Foundation
import SmokeGateDaemon
import SmokeGateTestSupport
import Testing

/// Field rule 8 for subscriptions, in-process on a real broker: a subscription granted below
/// the QoS asked is not "connected" (the broker would drop an alarm it cannot deliver at once).
@Suite(.serialized) struct SubscriptionGrantTests {
    @Test func aSubscriptionGrantedBelowTheQoSAskedIsNotConnected() async throws {
        // A listener that allows QoS 0 only: every subscription is granted at QoS 0.
        let port = try FreePort.find()
        let harness = try DaemonHarness(
            broker: try MosquittoBroker(extraConfiguration: "max_qos 0"), extra: "http:\n  listen: 127.0.0.1:\(port)")
        try await harness.start(waitUntilConnected: false)
        // 0–3 s: the session is up and every SUBACK in, but never connected; /healthz says why.
        var health: HTTPProbe.Response?
        #expect(
            await eventually(timeout: 40) {
                health = HTTPProbe.get("/healthz", port: port)
                return health?.body.contains("smokegate/detectors/+/event: granted QoS 0 of 1") == true
            }, "\(health?.body ?? "no answer")")
        #expect(health?.status == 503)
        #expect(health?.body.contains(#""broker_connected":false"#) == true)
        #expect(!(await eventually(timeout: 3) { harness.daemon?.isConnected == true }), "never connected")
        let status = try harness.store.readStatus()
        #expect(status?.connected == false)
        await harness.stop()
    }
}
