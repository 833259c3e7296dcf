import SmokeGateCore
import Testing

/// Throws mutated and random payloads at every decoder: no input may trap, hang or be
/// accepted without naming a device.
@Suite struct FuzzTests {
    static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "true", "false", "-", "0", "1e999", "-0.0",
        "\"type\"", "\"alarm\"", "\"smoke\"", "\"IMEI\"", "\"payload\"", "\"serviceData\"", "\"Alarm_Status\"",
        "99999999999999999999", "\"battery\"", "\"ts\"", "\"linkquality\"", "\"Battery_Level\"", "\"TRUE\"", "101", "1.5",
        "\"2026-11-22T08:00:00\"",
        "\u{0}", "\u{1F}", "\u{FF}", "测试",
    ].map { Array($0.utf8) }

    func seeds() throws -> [RawMessage] {
        var seeds: [RawMessage] = []
        for file in [
            "native/events.jsonl", "ctwing/smoke.jsonl", "zigbee2mqtt/jtyj-gd-01lm-bw.jsonl", "zigbee2mqtt/288wz.jsonl",
            "zigbee2mqtt/availability.jsonl", "malformed/payloads.jsonl",
        ] {
            seeds += try FixtureLoader.lines(file).map(\.message)
        }
        return seeds
    }

    func mutate(_ payload: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = payload
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            case 1 where !bytes.isEmpty: bytes.remove(at: Int.random(in: 0..<bytes.count, using: &random))
            case 2:
                bytes.insert(
                    contentsOf: Self.tokens.randomElement(using: &random)!, at: Int.random(in: 0...bytes.count, using: &random))
            case 3 where bytes.count > 2: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            case 4: bytes += bytes.prefix(Int.random(in: 0...min(bytes.count, 64), using: &random))
            default: bytes.append(UInt8.random(in: 0...255, using: &random))
            }
        }
        return bytes
    }

    @Test func tenThousandMutatedPayloadsNeverTrap() throws {
        var random = SplitMix64(seed: 0x5EED)
        let seeds = try seeds()
        var replayer = Replayer()
        var outcomes = (accepted: 0, rejected: 0, ignored: 0)
        for _ in 0..<12_000 {
            let seed = seeds.randomElement(using: &random)!
            let message = RawMessage(topic: seed.topic, payload: mutate(seed.payload, &random), receivedAt: seed.receivedAt)
            switch replayer.replay(message) {
            case .accepted(let decoded):
                #expect(!decoded.deviceID.isEmpty)
                #expect(decoded.events.allSatisfy { $0.notes == decoded.notes }, "every event carries its message's notes")
                #expect(decoded.notes.allSatisfy { $0.hasSuffix(", dropped") && $0.count < 200 }, "\(decoded.notes)")
                outcomes.accepted += 1
            case .rejected(let rejection):
                #expect(!rejection.detail.isEmpty)
                outcomes.rejected += 1
            case .ignored:
                outcomes.ignored += 1
            }
        }
        #expect(outcomes.accepted > 100 && outcomes.rejected > 1_000, "\(outcomes)")
    }

    @Test func randomBytesAndDeepNestingAreRejected() {
        var random = SplitMix64(seed: 42)
        var replayer = Replayer()
        let topics = ["smokegate/detectors/x/event", "zigbee2mqtt/x", "ctwing/smoke/1", "zigbee2mqtt/x/availability"]
        for _ in 0..<4_000 {
            let payload = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = replayer.replay(
                RawMessage(topic: topics.randomElement(using: &random)!, payload: payload, receivedAt: FixtureLoader.testEpoch))
        }
        let deep = Array(String(repeating: "[", count: 100_000).utf8)
        let outcome = replayer.replay(RawMessage(topic: topics[0], payload: deep, receivedAt: FixtureLoader.testEpoch))
        #expect(outcome.rejection?.reason == .oversized || outcome.rejection?.reason == .invalidJSON)
        let nested = Array((String(repeating: "[", count: 1_000) + String(repeating: "]", count: 1_000)).utf8)
        #expect(
            replayer.replay(RawMessage(topic: topics[0], payload: nested, receivedAt: FixtureLoader.testEpoch)).rejection?.reason
                == .invalidJSON)
    }
}
