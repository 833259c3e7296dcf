import Foundation
import Logging
import SmokeGateMQTT

/// One MQTT connection of the benchmark (a publisher or a subscriber) on the loopback broker,
/// with a clean session and its own inbox. It keeps the inbox alive (an `MQTTClient` holds its
/// delegate weakly) and connects within a bounded time, so a broken broker stops the run.
final class BenchClient: Sendable {
    let client: MQTTClient
    let inbox = Inbox()

    /// Connects as `name`, subscribing to `subscriptions` at QoS 1; waits up to `timeout`.
    init(port: Int, name: String, subscriptions: [String] = [], timeout: Duration = .seconds(20)) throws {
        client = try MQTTClient(
            options: MQTTOptions(
                host: "127.0.0.1", port: port, clientID: "\(name)-\(UUID().uuidString.prefix(6))", cleanSession: true,
                subscriptions: subscriptions, subscriptionQoS: 1),
            delegate: inbox, logger: Logger(label: name) { _ in SwiftLogNoOpLogHandler() })
        client.start()
        let deadline = ContinuousClock.now + timeout
        while !client.isConnected {
            guard ContinuousClock.now < deadline else {
                client.stop()
                throw BenchError("\(name) could not connect to the broker on port \(port) within \(timeout)")
            }
            usleep(5_000)
        }
    }

    func publish(_ topic: String, _ text: String, qos: Int32) throws {
        try client.publish(topic: topic, payload: Array(text.utf8), qos: qos)
    }

    /// Disconnects and waits for the network thread.
    func stop() {
        client.stop()
    }
}
