import Foundation
import SmokeGateStore
import SmokeGateTestSupport

/// Times alarms and a plain round trip on one pair of connections, and keeps every grid
/// message about `offline` by unit as it passes.
struct Probe {
    let subscriber: BenchClient
    let publisher: BenchClient
    var calls: [String: Call] = [:]
    var echoes: [String: Inbox.Arrival] = [:]
    var offlineMessages: [String: [String]] = [:]
    var missing = 0
    var sequence = 0

    private struct Kind: Decodable {
        var kind: String
        var action: String
        var unit: String
    }

    mutating func take(until deadline: ContinuousClock.Instant) {
        for arrival in subscriber.inbox.wait(until: deadline) {
            if arrival.topic.hasPrefix("bench/echo/") {
                echoes[arrival.topic] = arrival
            } else if let kind = try? JSONDecoder().decode(Kind.self, from: Data(arrival.payload)), kind.kind == "offline" {
                offlineMessages[kind.unit, default: []].append(kind.action)
            } else if let call = Call(arrival), call.action == "notify", calls[call.device] == nil {
                calls[call.device] = call
            }
        }
    }

    mutating func idle(until deadline: ContinuousClock.Instant) {
        while ContinuousClock.now < deadline { take(until: deadline) }
    }

    mutating func wait(until deadline: ContinuousClock.Instant, for found: (Probe) -> Bool) -> Bool {
        while !found(self) {
            guard ContinuousClock.now < deadline else { return false }
            take(until: deadline)
        }
        return true
    }

    /// One alarm from registered detector `index`, timed to its grid call, then a plain
    /// message halfway to the next.
    mutating func alarm(_ index: Int, gap: ClosedRange<Int>, into latency: inout [Double], baseline: inout [Double]) throws {
        sequence += 1
        let pause = Duration.milliseconds(Int.random(in: gap))
        let device = BenchConfiguration.deviceID(index)
        let start = ContinuousClock.now
        try publisher.publish("smokegate/detectors/\(device)/event", #"{"type":"alarm","seq":1}"#, qos: 1)
        if wait(until: start + .seconds(5), for: { $0.calls[device] != nil }), let call = calls[device] {
            latency.append(start.duration(to: call.arrival.instant).milliseconds)
        } else {
            missing += 1
        }
        idle(until: start + pause / 2)
        let topic = "bench/echo/\(sequence)"
        let sent = ContinuousClock.now
        try publisher.publish(topic, "\(sequence)", qos: 1)
        if wait(until: sent + .seconds(5), for: { $0.echoes[topic] != nil }), let echo = echoes[topic] {
            baseline.append(sent.duration(to: echo.instant).milliseconds)
        }
        idle(until: start + pause)
    }
}
