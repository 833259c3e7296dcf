import Foundation
import Logging
import SmokeGateMQTT
import Synchronization

/// Publishes test traffic through a real MQTT connection and waits until the broker has it.
public final class TestPublisher: MQTTClientDelegate, @unchecked Sendable {
    private var client: MQTTClient!
    private let acknowledged = Mutex<Set<Int32>>([])

    private init() {}

    /// Connects a publisher to the broker on `port`.
    public static func connect(
        port: Int, clientID: String = "test-publisher-\(UUID().uuidString.prefix(6))", username: String? = nil,
        password: String? = nil
    ) async throws -> TestPublisher {
        let publisher = TestPublisher()
        publisher.client = try MQTTClient(
            options: MQTTOptions(
                host: "127.0.0.1", port: port, clientID: clientID, cleanSession: true, username: username, password: password),
            delegate: publisher, logger: Logger(label: "test-publisher") { _ in SwiftLogNoOpLogHandler() })
        publisher.client.start()
        guard await eventually(timeout: 20, { publisher.client.isConnected }) else {
            throw TestSupportError("publisher could not connect")
        }
        return publisher
    }

    deinit {
        client.stop()
    }

    /// Hands a QoS 0 message to libmosquitto and returns at once, from any thread: for a burst
    /// that must reach the broker faster than a daemon can take it.
    public func publishNow(_ topic: String, _ text: String) throws {
        try client.publish(topic: topic, payload: Array(text.utf8), qos: 0, retain: false)
    }

    /// Hands every message to libmosquitto at once, in order, then waits for the broker's
    /// PUBACK of each QoS 1 one: a burst that reaches a subscriber as fast as the broker sends.
    public func publishBurst(_ messages: [(topic: String, text: String)], qos: Int32 = 1) async throws {
        let ids = try messages.map { try client.publish(topic: $0.topic, payload: Array($0.text.utf8), qos: qos) }
        guard qos > 0 else { return }
        guard await eventually(timeout: 60, { acknowledged.withLock { $0.isSuperset(of: ids) } }) else {
            throw TestSupportError("the broker never acknowledged the whole burst")
        }
    }

    /// Publishes and, for QoS 1, waits for the broker's PUBACK; `retain` asks the broker to
    /// keep it as the topic's last message.
    public func publish(_ topic: String, _ text: String, qos: Int32 = 1, retain: Bool = false) async throws {
        try await publish(topic, Array(text.utf8), qos: qos, retain: retain)
    }

    public func publish(_ topic: String, _ payload: [UInt8], qos: Int32 = 1, retain: Bool = false) async throws {
        let id = try client.publish(topic: topic, payload: payload, qos: qos, retain: retain)
        guard qos > 0 else { return }
        guard await eventually(timeout: 20, { acknowledged.withLock { $0.contains(id) } }) else {
            throw TestSupportError("broker never acknowledged the message on \(topic)")
        }
    }

    public func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {}

    public func mqttClient(_ client: MQTTClient, published messageID: Int32) {
        _ = acknowledged.withLock { $0.insert(messageID) }
    }
}
