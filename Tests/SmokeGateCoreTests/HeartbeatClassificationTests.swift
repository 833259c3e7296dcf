import SmokeGateCore
import Testing

/// The check that lets a QoS 1 heartbeat skip the commit-before-acknowledge path: it must
/// never say "heartbeat" of anything that could open an incident.
@Suite struct HeartbeatClassificationTests {
    let normalizer = Replayer().normalizer

    func message(_ topic: String, _ payload: String) -> RawMessage {
        RawMessage(topic: topic, payload: Array(payload.utf8), receivedAt: FixtureLoader.testEpoch)
    }

    @Test func onlyAValidNativeHeartbeatIsOne() {
        #expect(normalizer.isNativeHeartbeat(message("smokegate/detectors/d/event", #"{"type":"heartbeat","battery":80}"#)))
        #expect(!normalizer.isNativeHeartbeat(message("smokegate/detectors/d/event", #"{"type":"alarm"}"#)))
        #expect(!normalizer.isNativeHeartbeat(message("smokegate/detectors/d/event", #"{"type":"heartbeat","type":"alarm"}"#)))
        #expect(!normalizer.isNativeHeartbeat(message("smokegate/detectors/d/event", #"{"type":"heartbeat""#)))
        #expect(!normalizer.isNativeHeartbeat(message("smokegate/detectors/d/event", #"{"type":"heart\u0062eat"}"#)))
        #expect(!normalizer.isNativeHeartbeat(message("zigbee2mqtt/d", #"{"type":"heartbeat","smoke":true}"#)))
        #expect(!normalizer.isNativeHeartbeat(message("unrouted/d", #"{"type":"heartbeat"}"#)))
    }
}
