import Foundation
import SmokeGateMQTT
import Synchronization

/// What one benchmark connection receives, each message stamped on arrival with the monotonic
/// and the wall clock. The network callback does nothing else (no parsing), so that a burst
/// of calls is stamped as it arrives and not as the benchmark gets round to it.
final class Inbox: MQTTClientDelegate, Sendable {
    /// One message as it arrived.
    struct Arrival: Sendable {
        var topic: String
        var payload: [UInt8]
        var instant: ContinuousClock.Instant
        var wall: Date
    }

    private let arrivals = Mutex<[Arrival]>([])
    /// Signalled once per arrival, so a waiter sleeps instead of polling.
    private let signal = DispatchSemaphore(value: 0)
    /// PUBACKs and sent QoS 0 messages of this connection's own publications.
    let published = Atomic<Int>(0)

    func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {
        let arrival = Arrival(topic: message.topic, payload: message.payload, instant: .now, wall: Date())
        arrivals.withLock { $0.append(arrival) }
        signal.signal()
    }

    func mqttClient(_ client: MQTTClient, published messageID: Int32) {
        published.add(1, ordering: .relaxed)
    }

    /// Everything that arrived since the last call, oldest first.
    func take() -> [Arrival] {
        arrivals.withLock { arrivals in
            defer { arrivals.removeAll(keepingCapacity: true) }
            return arrivals
        }
    }

    /// Waits until something arrives or `deadline` passes; returns what arrived (maybe nothing).
    func wait(until deadline: ContinuousClock.Instant) -> [Arrival] {
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining > .zero {
            _ = signal.wait(timeout: .now() + .nanoseconds(Int(remaining.milliseconds * 1e6)))
        }
        return take()
    }
}

extension Duration {
    /// The duration in (fractional) milliseconds.
    var milliseconds: Double {
        Double(components.seconds) * 1e3 + Double(components.attoseconds) / 1e15
    }
}
