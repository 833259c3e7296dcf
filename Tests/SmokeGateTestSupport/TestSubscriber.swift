import Foundation
import Logging
import SmokeGateMQTT
import Synchronization

/// Watches topics on a real broker and keeps what arrives, with the time it arrived: how
/// tests see what responders' systems would receive.
public final class TestSubscriber: MQTTClientDelegate, @unchecked Sendable {
    /// One message as it arrived.
    public struct Received: Sendable {
        public var topic: String
        public var payload: String
        public var arrivedAt: Date

        /// A top-level field of the JSON payload, as text (numbers included), or nil.
        public func field(_ name: String) -> String? {
            guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any],
                let value = object[name], !(value is NSNull)
            else { return nil }
            return "\(value)"
        }
    }

    private var client: MQTTClient!
    private let messages = Mutex<[Received]>([])

    private init() {}

    /// Connects and waits until `filters` are subscribed (at QoS 1). A `persistent` session
    /// has the broker queue what arrives while the subscriber is away (across a broker
    /// restart too, if the broker persists sessions); connecting again with its `clientID`
    /// takes the session back. `username` and `password` log in to a broker that admits only
    /// its users.
    public static func connect(
        port: Int, filters: [String], persistent: Bool = false, clientID: String? = nil, username: String? = nil,
        password: String? = nil
    ) async throws -> TestSubscriber {
        let subscriber = TestSubscriber()
        subscriber.client = try MQTTClient(
            options: MQTTOptions(
                host: "127.0.0.1", port: port, clientID: clientID ?? "test-subscriber-\(UUID().uuidString.prefix(6))",
                cleanSession: !persistent, username: username, password: password,
                subscriptions: filters),
            delegate: subscriber, logger: Logger(label: "test-subscriber") { _ in SwiftLogNoOpLogHandler() })
        subscriber.client.start()
        guard await eventually(timeout: 20, { subscriber.client.isConnected }) else {
            throw TestSupportError("subscriber could not subscribe to \(filters)")
        }
        return subscriber
    }

    deinit {
        client.stop()
    }

    /// Everything received so far, in order of arrival.
    public var received: [Received] { messages.withLock { $0 } }

    public func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {
        let received = Received(
            topic: message.topic, payload: String(decoding: message.payload, as: UTF8.self), arrivedAt: Date())
        messages.withLock { $0.append(received) }
    }
}
