import Foundation
import Logging
import SmokeGateMQTT
import Synchronization

/// Publishes as fast as the broker takes messages, with at most `window` messages not yet
/// handed over (PUBACK for QoS 1, written to the socket for QoS 0), so memory stays flat.
final class Publisher: MQTTClientDelegate, @unchecked Sendable {
    private var client: MQTTClient!
    private let window: Int
    private let outstanding = Mutex(0)
    private let acknowledged = Atomic<Int>(0)
    private let space = DispatchSemaphore(value: 0)

    init(_ broker: BrokerOptions, window: Int = 2_000) throws {
        self.window = window
        let id = broker.clientID ?? "smokegate-sim-\(UInt32.random(in: 0...UInt32.max))"
        client = try MQTTClient(
            options: MQTTOptions(
                host: broker.host, port: broker.port, clientID: id, cleanSession: true, username: broker.username,
                password: try broker.password()),
            delegate: self, logger: Logger(label: "smokegate-sim") { _ in SwiftLogNoOpLogHandler() })
        client.start()
        let deadline = Date().addingTimeInterval(10)
        while !client.isConnected {
            guard Date() < deadline else { throw SimulatorError("cannot connect to the broker at \(broker.host):\(broker.port)") }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// Publishes one message, waiting while the window is full.
    func publish(_ topic: String, _ payload: [UInt8], qos: Int32) throws {
        while true {
            let admitted = outstanding.withLock { count in
                guard count < window else { return false }
                count += 1
                return true
            }
            if admitted { break }
            _ = space.wait(timeout: .now() + .milliseconds(50))
        }
        try client.publish(topic: topic, payload: payload, qos: qos)
    }

    /// Waits until every published message has been handed over.
    func drain(timeout: TimeInterval = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while outstanding.withLock({ $0 }) > 0 {
            guard Date() < deadline else { throw SimulatorError("the broker did not take every message in \(Int(timeout))s") }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    var handedOver: Int { acknowledged.load(ordering: .relaxed) }

    func close() {
        client.stop()
    }

    func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {}

    func mqttClient(_ client: MQTTClient, published messageID: Int32) {
        acknowledged.add(1, ordering: .relaxed)
        outstanding.withLock { $0 -= 1 }
        space.signal()
    }
}
