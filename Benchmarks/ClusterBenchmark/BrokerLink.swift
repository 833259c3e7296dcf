import Foundation
import Logging
import SmokeGateMQTT
import Synchronization

/// One connection of the benchmark to the loopback broker, clean session: the detectors'
/// side, publishing alarms at QoS 1 without waiting for each PUBACK (so that they go out on a
/// fixed schedule, or back to back), or the responders' side, keeping every call that arrives
/// stamped with the time it arrived (nothing else is done in the network callback).
final class BrokerLink: MQTTClientDelegate, Sendable {
    /// One message as it arrived.
    struct Arrival: Sendable {
        var topic: String
        var payload: [UInt8]
        var at: Date
    }

    private let connection = Mutex<MQTTClient?>(nil)
    private let arrivals = Mutex<[Arrival]>([])
    /// The calls parsed from the arrivals so far (each arrival parsed once, outside the callback).
    private let parsed = Mutex<[Call]>([])
    /// PUBACKs of this connection's alarms.
    let acknowledged = Atomic<Int>(0)

    private init() {}

    /// Connects to the broker on `port`, subscribing to `subscriptions` at QoS 1; waits up to `timeout`.
    static func connect(port: Int, subscriptions: [String] = [], timeout: Duration = .seconds(20)) throws -> BrokerLink {
        let link = BrokerLink()
        let client = try MQTTClient(
            options: MQTTOptions(
                host: "127.0.0.1", port: port, clientID: "cluster-bench-\(UUID().uuidString.prefix(6))", cleanSession: true,
                subscriptions: subscriptions),
            delegate: link, logger: Logger(label: "cluster-bench") { _ in SwiftLogNoOpLogHandler() })
        link.connection.withLock { $0 = client }
        client.start()
        let deadline = ContinuousClock.now + timeout
        while !client.isConnected {
            guard ContinuousClock.now < deadline else {
                client.stop()
                throw BenchError("could not connect to the broker on port \(port) within \(timeout)")
            }
            usleep(5_000)
        }
        return link
    }

    /// An alarm from `device`, handed to libmosquitto at once.
    func alarm(_ device: String, seq: Int = 1) throws {
        guard let client = connection.withLock({ $0 }) else { throw BenchError("the connection is closed") }
        _ = try client.publish(
            topic: "smokegate/detectors/\(device)/event", payload: Array(#"{"type":"alarm","seq":\#(seq)}"#.utf8), qos: 1)
    }

    /// Waits until the broker has acknowledged `count` alarms in all, or `timeout` passes.
    func waitForAcknowledgements(_ count: Int, timeout: TimeInterval) -> Bool {
        poll(timeout: timeout, every: .milliseconds(5)) { acknowledged.load(ordering: .relaxed) >= count }
    }

    /// The fire calls received so far, in order of arrival.
    var calls: [Call] {
        let new = arrivals.withLock { arrivals in
            defer { arrivals.removeAll(keepingCapacity: true) }
            return arrivals
        }
        return parsed.withLock { calls in
            calls += new.compactMap(Call.init)
            return calls
        }
    }

    /// The first call to `device`'s incident for `tier`, if it arrived.
    func call(device: String, tier: String) -> Call? { calls.first { $0.device == device && $0.tier == tier } }

    func stop() {
        connection.withLock { $0?.stop() }
    }

    func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {
        let arrival = Arrival(topic: message.topic, payload: message.payload, at: Date())
        arrivals.withLock { $0.append(arrival) }
    }

    func mqttClient(_ client: MQTTClient, published messageID: Int32) {
        acknowledged.add(1, ordering: .relaxed)
    }
}

/// Polls `condition` every `interval` until it holds (true) or `timeout` passes (false). What
/// is timed is stamped where it happens (an arrival in the network callback), never by the poll.
func poll(timeout: TimeInterval, every interval: Duration = .milliseconds(20), _ condition: () throws -> Bool) rethrows
    -> Bool
{
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if try condition() { return true }
        sleep(until: .now + interval)
    } while Date() < deadline
    return try condition()
}

/// Sleeps the calling thread until `deadline` on the monotonic clock (at once if it has passed).
func sleep(until deadline: ContinuousClock.Instant) {
    let remaining = ContinuousClock.now.duration(to: deadline)
    guard remaining > .zero else { return }
    let microseconds = remaining.components.seconds * 1_000_000 + remaining.components.attoseconds / 1_000_000_000_000
    usleep(UInt32(min(microseconds, 60_000_000)))
}
