import Foundation
import SmokeGateCore
import Testing

/// CTWing NB-IoT pushes and native events from the fixture files.
@Suite struct CTWingAndNativeFixtureTests {
    @Test func ctwingStatusCodesBecomeEvents() throws {
        let lines = try FixtureLoader.lines("ctwing/smoke.jsonl")
        let expected: [[EventKind]?] = [
            nil, [.online], [], [.alarm], [.mute], [.alarmClear], [.test], [], [.tamper], [.tamperClear], [.lowBattery],
            [.lowBattery], [.fault], [.faultClear], nil,
        ]
        #expect(lines.count == expected.count)
        var replayer = Replayer()
        for (line, events) in zip(lines, expected) {
            let outcome = replayer.replay(line.message)
            if let events {
                #expect(outcome.kinds == events, "smoke.jsonl line \(line.number): \(outcome)")
            } else {
                // Online/offline reports name only the platform's deviceId, which no registry
                // row here carries: kept aside with that reason.
                #expect(outcome.rejection?.reason == .unroutable, "smoke.jsonl line \(line.number): \(outcome)")
            }
        }
    }

    @Test func ctwingDeviceIsTheIMEIAndItsTimestampIdentifiesTheEvent() throws {
        let alarm = try FixtureLoader.lines("ctwing/smoke.jsonl")[3].message
        var replayer = Replayer()
        guard case .accepted(let decoded) = replayer.replay(alarm) else { Issue.record("not accepted"); return }
        #expect(decoded.deviceID == "860374052118732")
        #expect(decoded.reading.battery == 100)
        #expect(decoded.events.first?.occurredAt == Date(timeIntervalSince1970: 1_795_334_460))
        #expect(decoded.events.first?.identity == .stamped("1795334460000#1"))
    }

    @Test func everyNativeTypeIsAccepted() throws {
        var replayer = Replayer()
        var kinds: Set<EventKind> = []
        var heartbeats = 0
        for line in try FixtureLoader.lines("native/events.jsonl") {
            let outcome = replayer.replay(line.message)
            guard case .accepted(let decoded) = outcome else {
                Issue.record("events.jsonl line \(line.number) rejected: \(outcome)")
                continue
            }
            if decoded.isHeartbeat { heartbeats += 1 }
            kinds.formUnion(decoded.events.map(\.kind))
        }
        let expected = Set(EventKind.allCases).subtracting([.heartbeat, .offline, .online])
        #expect(kinds == expected)
        #expect(heartbeats >= 2)
    }

    @Test func nativeReadingsAndStampsAreKept() {
        let message = RawMessage(
            topic: "smokegate/detectors/det-1/event",
            payload: Array(
                #"{"type":"alarm","ts":"2026-11-22T08:00:00Z","seq":42,"battery":87,"rssi":-71,"smoke":0.18,"temperature":31.5}"#
                    .utf8),
            receivedAt: FixtureLoader.testEpoch)
        var replayer = Replayer()
        guard case .accepted(let decoded) = replayer.replay(message), let event = decoded.events.first else {
            Issue.record("not accepted")
            return
        }
        #expect(event.deviceID == "det-1")
        #expect(event.sequence == 42)
        #expect(event.occurredAt == RFC3339.parse("2026-11-22T08:00:00Z"))
        #expect(event.reading == DeviceReading(battery: 87, signal: -71, smoke: 0.18, temperature: 31.5))
    }

    @Test func malformedPayloadsAreRejectedWithTheirReason() throws {
        let reasons: [String: Rejection.Reason] = [
            "invalid_json": .invalidJSON, "unknown_type": .unknownType, "missing_type": .missingField,
            "device_mismatch": .deviceMismatch, "wrong_field_type": .invalidField, "empty_payload": .invalidJSON,
            "not_object": .notAnObject, "missing_imei": .missingField, "unknown_alarm_status": .unknownType,
            "invalid_imei": .invalidField, "missing_service_data": .missingField, "unsupported_message_type": .unknownType,
        ]
        let lines = try FixtureLoader.lines("malformed/payloads.jsonl")
        #expect(lines.count >= 20)
        var replayer = Replayer()
        for line in lines {
            let expected = try #require(line.expect.flatMap { reasons[$0] }, "line \(line.number): unknown expectation")
            let rejection = replayer.replay(line.message).rejection
            #expect(rejection?.reason == expected, "payloads.jsonl line \(line.number): \(String(describing: rejection))")
            #expect(!(rejection?.detail.isEmpty ?? true))
        }
    }

    @Test func oversizedPayloadsAreRejectedUnread() {
        let huge = RawMessage(
            topic: "smokegate/detectors/det-1/event", payload: Array(repeating: 0x20, count: 64 * 1024 + 1),
            receivedAt: FixtureLoader.testEpoch)
        var replayer = Replayer()
        #expect(replayer.replay(huge).rejection?.reason == .oversized)
    }
}
