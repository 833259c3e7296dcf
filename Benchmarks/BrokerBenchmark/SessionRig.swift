import Foundation
import Logging
import SmokeGateMQTT
import SmokeGateTestSupport

/// The gateway's persistent session on the benchmark's broker: created and left away with a
/// queue of a given depth, or taken back to count what waits in it.
struct SessionRig {
    let broker: PersistentBroker

    /// The gateway's session (`smokegated`, clean session off, QoS 1 on the detectors' topics).
    func gateway() async throws -> TestSubscriber {
        try await TestSubscriber.connect(
            port: broker.port, filters: ["smokegate/detectors/+/event"], persistent: true, clientID: "smokegated")
    }

    /// A new database holding the away session with `queued` heartbeats waiting, written
    /// under a save once a minute and saved by a clean stop: every setting starts from it.
    func awaySession(queued: Int) async throws {
        try broker.erase()
        try broker.start(BrokerBenchmark.old)
        _ = try await gateway()
        if queued > 0 {
            let fill = try await TestPublisher.connect(port: broker.port)
            let heartbeat = Array(#"{"type":"heartbeat","seq":123456,"battery":87,"rssi":-71}"#.utf8)
            for _ in 0..<queued { try await fill.publish("smokegate/detectors/fill/event", heartbeat, qos: 0) }
            // In order on one connection: this acknowledgement follows every heartbeat.
            try await fill.publish("smokegate/fill-done", "x")
        }
        broker.stop()
    }

    /// Takes the session back and counts the distinct alarms waiting in it, waiting at most
    /// three seconds for `expecting`.
    func queuedAfterRestart(expecting: Int) async throws -> Int {
        let back = try await gateway()
        _ = await eventually(timeout: 3) { back.received.count >= expecting }
        return back.received.count
    }
}
