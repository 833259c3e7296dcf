import Foundation
import Logging
import SmokeGateMQTT
import Synchronization

/// Detectors publishing QoS 1 alarms over `count` connections, each with one message in
/// flight at a time, as a detector publishes: the next goes once the broker acknowledged the
/// last.
final class Detectors: @unchecked Sendable {
    private let connections: [Connection]

    init(count: Int, port: Int, log: @escaping () -> String = { "" }) async throws {
        var connections: [Connection] = []
        // Ids of their own: a client of an earlier measurement still leaving must not take one over.
        let run = UUID().uuidString.prefix(6)
        for index in 0..<count { connections.append(try Connection(index: index, run: run, port: port)) }
        self.connections = connections
        let deadline = Date().addingTimeInterval(120)
        while !connections.allSatisfy(\.client.isConnected) {
            guard Date() < deadline else {
                let up = connections.filter(\.client.isConnected).count
                throw BenchmarkFailure("only \(up) of \(count) detectors could connect; the broker's log ends:\n\(log())")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    deinit { for connection in connections { connection.client.stop() } }

    /// Publishes `total` alarms dealt over the connections; returns messages a second.
    func publish(_ total: Int, payload: [UInt8]) -> Double {
        let each = max(1, total / connections.count)
        let start = ContinuousClock.now
        // A thread each: every connection has its message in flight at the same time (a
        // dispatch queue would run only as many at once as there are cores).
        let done = DispatchGroup()
        for connection in connections {
            done.enter()
            Thread {
                connection.publish(each, payload: payload)
                done.leave()
            }.start()
        }
        done.wait()
        let elapsed = (ContinuousClock.now - start).components
        return Double(each * connections.count) / (Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
    }

    /// One connection and the semaphore its PUBACKs signal.
    private final class Connection: MQTTClientDelegate, @unchecked Sendable {
        var client: MQTTClient!
        let acknowledged = DispatchSemaphore(value: 0)
        let topic: String

        init(index: Int, run: Substring, port: Int) throws {
            topic = "smokegate/detectors/bench-\(index)/event"
            client = try MQTTClient(
                options: MQTTOptions(host: "127.0.0.1", port: port, clientID: "bench-\(run)-\(index)", cleanSession: true),
                delegate: self, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
            client.start()
        }

        func publish(_ count: Int, payload: [UInt8]) {
            for _ in 0..<count {
                guard (try? client.publish(topic: topic, payload: payload, qos: 1)) != nil else { continue }
                acknowledged.wait()
            }
        }

        func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {}
        func mqttClient(_ client: MQTTClient, connectionChanged connected: Bool, detail: String) {}
        func mqttClient(_ client: MQTTClient, published messageID: Int32) { acknowledged.signal() }
        func mqttClient(_ client: MQTTClient, sessionStarted resumed: Bool) {}
    }
}
