import SmokeGateMQTT
import Synchronization

/// Counts messages and does nothing else: the MQTT layer's own cost.
final class CountingDelegate: MQTTClientDelegate, @unchecked Sendable {
    let count = Atomic<Int>(0)
    func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {
        count.add(1, ordering: .relaxed)
    }
}
