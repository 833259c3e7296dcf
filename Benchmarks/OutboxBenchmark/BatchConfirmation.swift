import Foundation
import Logging
import SmokeGateMQTT
import SmokeGateTestSupport

/// How long the dispatcher waits for a batch of calls to be confirmed, by batch size: a fire
/// written while a batch is in flight goes in the next one, so one batch's confirmation is
/// what a maintenance storm can add to a fire's call. Measured on a broker without
/// persistence, and on one saving its database at every queued message (the shipped
/// `autosave_on_changes true`, `autosave_interval 1`) while a responder's persistent session
/// is away, so that every call is queued and every pass of the broker's loop saves.
struct BatchConfirmation {
    let rounds: Int
    let sizes: [Int]

    /// One line of the report: a broker, a batch size, and the batch confirmation times in ms.
    struct Line {
        var broker: String
        var size: Int
        var times: [Double]
    }

    func run() async throws -> [Line] {
        var lines: [Line] = []
        let plain = try MosquittoBroker(extraConfiguration: Self.shipped)
        lines += try await measure(plain, name: "no persistence")
        plain.stop()
        let saving = try MosquittoBroker(persistence: true, extraConfiguration: Self.shipped + "\nautosave_on_changes true")
        // A responder's system subscribed with a persistent session, then away: every call queues.
        _ = try await TestSubscriber.connect(port: saving.port, filters: ["smokegate/notify/#"], persistent: true)
        lines += try await measure(saving, name: "saving at every queued message, a responder away")
        saving.stop()
        return lines
    }

    /// What the shipped configuration sets for the dispatch link's packets.
    static let shipped = "set_tcp_nodelay true"

    private func measure(_ broker: MosquittoBroker, name: String) async throws -> [Line] {
        let link = try MQTTClient(
            options: MQTTOptions(
                host: "127.0.0.1", port: broker.port, clientID: "bench-dispatch", cleanSession: true, tcpNoDelay: true),
            delegate: Quiet(), logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
        link.start()
        defer { link.stop() }
        guard await eventually(timeout: 20, { link.isConnected }) else { throw BenchmarkFailure("cannot connect") }
        let payload = Array(String(repeating: "x", count: 500).utf8)
        var times: [Int: [Double]] = [:]
        for round in 0..<rounds {
            for size in sizes {
                let batch = (0..<size).map { ("smokegate/notify/grid/g\(($0 + round) % 40)", payload) }
                let start = ContinuousClock.now
                let confirmed = await link.publishConfirmed(batch, timeout: .seconds(30))
                times[size, default: []].append((ContinuousClock.now - start).secondsValue * 1_000)
                guard confirmed.allSatisfy({ $0 == .confirmed }) else {
                    throw BenchmarkFailure("a batch of \(size) was not confirmed")
                }
            }
        }
        return sizes.map { Line(broker: name, size: $0, times: times[$0] ?? []) }
    }
}

/// A client that does nothing with what it is told.
private final class Quiet: MQTTClientDelegate {
    func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {}
    func mqttClient(_ client: MQTTClient, connectionChanged connected: Bool, detail: String) {}
    func mqttClient(_ client: MQTTClient, published messageID: Int32) {}
    func mqttClient(_ client: MQTTClient, sessionStarted resumed: Bool) {}
}
