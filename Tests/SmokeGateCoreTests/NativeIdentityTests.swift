import Foundation
import SmokeGateCore
import Testing

/// Contract field rule 4, "when in doubt, it is a new fire": a native detector's `ts` and
/// `seq` are data, never its event's identity, because its counter restarts when it reboots.
@Suite struct NativeIdentityTests {
    func message(_ payload: String, at seconds: Double = 0) -> RawMessage {
        RawMessage(
            topic: "smokegate/detectors/det-1/event", payload: Array(payload.utf8),
            receivedAt: FixtureLoader.testEpoch.addingTimeInterval(seconds))
    }

    func events(_ message: RawMessage) -> [DetectorEvent] {
        var replayer = Replayer()
        guard case .accepted(let decoded) = replayer.replay(message) else { return [] }
        return decoded.events
    }

    @Test func aRestartedCounterGivesTheSameDigestNeverAStamp() throws {
        // The detector rebooted a day later and counts from 7 again.
        let before = message(#"{"type":"alarm","seq":7}"#)
        let after = message(#"{"type":"alarm","seq":7}"#, at: 86_400)
        let first = try #require(events(before).first)
        let second = try #require(events(after).first)
        #expect(first.identity == .payloadDigest(before.digest))
        #expect(second.identity == first.identity, "the store, not a stamp, decides whether this is a redelivery")
        #expect(first.sequence == 7)
    }

    @Test func stampsAreKeptAsData() throws {
        let stamped = message(#"{"type":"alarm","ts":"2026-11-22T08:00:00Z","seq":42}"#)
        let alarm = try #require(events(stamped).first)
        #expect(alarm.identity == .payloadDigest(stamped.digest))
        #expect(alarm.occurredAt == RFC3339.parse("2026-11-22T08:00:00Z"))
        #expect(alarm.sequence == 42)
    }

    @Test func noNativeFixtureEventIsStamped() throws {
        var replayer = Replayer()
        var count = 0
        for line in try FixtureLoader.lines("native/events.jsonl") {
            guard case .accepted(let decoded) = replayer.replay(line.message) else { continue }
            for event in decoded.events {
                count += 1
                #expect(event.identity == .payloadDigest(line.message.digest), "events.jsonl line \(line.number)")
            }
        }
        #expect(count > 10)
    }
}
