import Foundation
import SmokeGateCore
import Testing

/// Contract field rule 3, "only the event's kind is required": in every format a bad optional
/// field is dropped and noted, and the event is kept.
@Suite struct FieldToleranceTests {
    /// The field a note is about: the text before its first ": ".
    static func field(_ note: String) -> String {
        note.range(of: ": ").map { String(note[..<$0.lowerBound]) } ?? note
    }

    func accepted(_ outcome: DecodeOutcome, _ where: String) -> DecodedMessage? {
        guard case .accepted(let decoded) = outcome else {
            Issue.record("\(`where`) not accepted: \(outcome)")
            return nil
        }
        return decoded
    }

    func message(_ topic: String, _ payload: String) -> RawMessage {
        RawMessage(topic: topic, payload: Array(payload.utf8), receivedAt: FixtureLoader.testEpoch)
    }

    @Test(arguments: ["native", "zigbee2mqtt", "ctwing"])
    func badOptionalFieldsAreDroppedAndNotedAndTheEventKept(format: String) throws {
        var replayer = Replayer()
        for line in try FixtureLoader.lines("tolerated/\(format).jsonl") {
            let place = "tolerated/\(format).jsonl line \(line.number)"
            guard let decoded = accepted(replayer.replay(line.message), place) else { continue }
            #expect(decoded.events.map(\.kind.rawValue) == line.events, "\(place)")
            #expect(decoded.notes.map(Self.field).sorted() == line.dropped.sorted(), "\(place): \(decoded.notes)")
            #expect(decoded.notes.allSatisfy { $0.hasSuffix(", dropped") }, "\(place): \(decoded.notes)")
            for event in decoded.events {
                #expect(event.notes == decoded.notes, "\(place): every event carries its message's notes")
            }
        }
    }

    @Test func aNativeAlarmWithBattery101IsKeptWithANote() {
        var replayer = Replayer()
        let outcome = replayer.replay(message("smokegate/detectors/det-1/event", #"{"type":"alarm","battery":101}"#))
        guard let decoded = accepted(outcome, "battery 101"), let alarm = decoded.events.first else { return }
        #expect(decoded.events.map(\.kind) == [.alarm])
        #expect(alarm.reading.battery == nil)
        #expect(alarm.notes == ["battery: 101 is outside 0–100, dropped"])
        #expect(decoded.notes == alarm.notes)
    }

    @Test func aNativeTimeWithoutAZoneIsDroppedAndTheAlarmKept() {
        var replayer = Replayer()
        let payload = #"{"type":"alarm","ts":"2026-11-22T08:00:00","seq":42,"battery":87}"#
        let outcome = replayer.replay(message("smokegate/detectors/det-1/event", payload))
        guard let decoded = accepted(outcome, "zone-less ts"), let alarm = decoded.events.first else { return }
        #expect(alarm.kind == .alarm)
        #expect(alarm.occurredAt == nil)
        #expect(alarm.sequence == 42)
        #expect(alarm.reading.battery == 87)
        #expect(alarm.notes == ["ts: '2026-11-22T08:00:00' has no zone, dropped"])
    }

    @Test func zigbeeFlagsInTheirObviousSpellingsCount() {
        var replayer = Replayer()
        let outcome = replayer.replay(message("zigbee2mqtt/hall", #"{"smoke":"True","tamper":1,"battery":90}"#))
        guard let decoded = accepted(outcome, "spelled flags") else { return }
        #expect(decoded.events.map(\.kind) == [.alarm, .tamper])
        #expect(decoded.notes.isEmpty)
    }

    @Test func anUnreadableZigbeeFlagLeavesItsConditionAndTheOtherFlagsCount() {
        var replayer = Replayer()
        _ = replayer.replay(message("zigbee2mqtt/hall", #"{"smoke":true,"tamper":false,"battery_low":false}"#))
        let outcome = replayer.replay(message("zigbee2mqtt/hall", #"{"smoke":"maybe","tamper":true,"battery_low":true}"#))
        guard let decoded = accepted(outcome, "smoke maybe") else { return }
        #expect(decoded.events.map(\.kind) == [.tamper, .lowBattery], "no alarm_clear from a flag nobody can read")
        #expect(decoded.notes == ["smoke: 'maybe' is not true or false, dropped"])
        #expect(decoded.condition?.contains([.smoke, .tamper, .batteryLow]) == true)
    }

    @Test func aCTWingAlarmWithABadBatteryAndSignalIsKept() throws {
        let push = try FixtureLoader.lines("tolerated/ctwing.jsonl")[0].message
        var replayer = Replayer()
        guard let decoded = accepted(replayer.replay(push), "Battery_Level 150"), let alarm = decoded.events.first else {
            return
        }
        #expect(alarm.kind == .alarm)
        #expect(alarm.identity == .stamped("1795334460000#1"), "the platform's stamp still identifies it")
        #expect(alarm.reading == DeviceReading())
        #expect(
            alarm.notes == [
                "payload.serviceData.Battery_Level: 150 is outside 0–100, dropped",
                "payload.serviceData.RSRP: 'x' is not a number, dropped",
            ])
    }

    @Test func aNoteShowsLittleOfAHostileValue() {
        var replayer = Replayer()
        let long = String(repeating: "x", count: 5_000) + #"\n"#
        let outcome = replayer.replay(message("smokegate/detectors/det-1/event", #"{"type":"fault","ts":"\#(long)"}"#))
        guard let decoded = accepted(outcome, "long ts"), let note = decoded.notes.first else { return }
        #expect(decoded.events.map(\.kind) == [.fault])
        #expect(note.count < 100 && !note.contains("\n"), "\(note)")
    }

    /// Every well-formed fixture decodes without a single note: notes are only for bad fields.
    @Test func wellFormedPayloadsCarryNoNotes() throws {
        var files = ["native/events.jsonl", "ctwing/smoke.jsonl"]
        files += Zigbee2MQTTFixtureTests.expectations.map { "zigbee2mqtt/\($0.file).jsonl" }
        files += ["zigbee2mqtt/real-captures.jsonl"]
        for file in files {
            var replayer = Replayer()
            for line in try FixtureLoader.lines(file) {
                if case .accepted(let decoded) = replayer.replay(line.message) {
                    #expect(decoded.notes.isEmpty, "\(file) line \(line.number): \(decoded.notes)")
                }
            }
        }
    }
}
