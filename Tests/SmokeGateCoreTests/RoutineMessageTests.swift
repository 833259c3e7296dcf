import Foundation
import SmokeGateCore
import Testing

/// Which QoS 0 messages the gateway may set aside for its worker: only those that certainly
/// open no incident, so that a kill never loses a fire held in memory.
@Suite struct RoutineMessageTests {
    static let files =
        ["native/events.jsonl", "ctwing/smoke.jsonl", "malformed/payloads.jsonl"]
        + [
            "288wz", "availability", "hs1sa", "jtyj-gd-01lm-bw", "jy-gz-01aq", "real-captures", "smszb-120", "ts0601-smoke-1",
            "ts0601-smoke-2",
        ].map { "zigbee2mqtt/\($0).jsonl" }
    static let opening: Set<EventKind> = [.alarm, .fault, .tamper, .lowBattery, .offline]
    static let conditions: [DeviceCondition] = [[], [.smoke], [.batteryLow], [.fault, .tamper], [.unreachable]]

    /// Every fixture, and thousands of mutations of them, under every prior condition: what
    /// would open an incident is never set aside.
    @Test func nothingThatOpensAnIncidentIsSetAside() throws {
        let normalizer = Replayer().normalizer
        var random = SplitMix64(seed: 0x0505)
        var messages: [RawMessage] = []
        for file in Self.files { messages += try FixtureLoader.lines(file).map(\.message) }
        let fuzz = FuzzTests()
        for seed in messages where !seed.payload.isEmpty {
            for _ in 0..<50 {
                messages.append(
                    RawMessage(topic: seed.topic, payload: fuzz.mutate(seed.payload, &random), receivedAt: seed.receivedAt))
            }
        }
        var setAside = 0
        for message in messages {
            let routine = normalizer.cannotOpenIncident(message)
            if routine { setAside += 1 }
            for condition in Self.conditions {
                let (_, outcome) = normalizer.normalize(message) { _ in condition }
                guard case .accepted(let decoded) = outcome, routine else { continue }
                let opens = decoded.events.filter { Self.opening.contains($0.kind) }
                #expect(
                    opens.isEmpty,
                    "set aside, yet opens \(opens.map(\.kind)): \(message.topic) \(String(decoding: message.payload, as: UTF8.self))"
                )
            }
        }
        #expect(
            setAside > messages.count / 10, "heartbeats and quiet states are still set aside (\(setAside) of \(messages.count))")
    }

    @Test func quietStatesAndHeartbeatsAreSetAsideAndAlarmsAreNot() {
        let normalizer = Replayer().normalizer
        let cases: [(String, String, Bool)] = [
            ("smokegate/detectors/det-1/event", #"{"type":"heartbeat","battery":90}"#, true),
            ("smokegate/detectors/det-1/event", #"{"type":"alarm"}"#, false),
            ("zigbee2mqtt/kitchen", #"{"smoke":false,"battery_low":false,"tamper":false,"battery":90}"#, true),
            ("zigbee2mqtt/kitchen", #"{"smoke":true,"battery":90}"#, false),
            ("zigbee2mqtt/kitchen", #"{"smoke":"true"}"#, false),
            ("zigbee2mqtt/kitchen", #"{"smoke_state":"alarm"}"#, false),
            ("zigbee2mqtt/kitchen", #"{"battery":9}"#, false),
            ("zigbee2mqtt/kitchen/availability", #"{"state":"offline"}"#, false),
            ("zigbee2mqtt/kitchen/availability", "online", true),
            (
                "ctwing/smoke/860000000000001",
                #"{"messageType":"dataReport","IMEI":"860000000000001","payload":{"serviceData":{"Alarm_Status":7}}}"#, true
            ),
            (
                "ctwing/smoke/860000000000001",
                #"{"messageType":"dataReport","IMEI":"860000000000001","payload":{"serviceData":{"Alarm_Status":1}}}"#, false
            ),
        ]
        for (topic, payload, routine) in cases {
            let message = RawMessage(topic: topic, payload: Array(payload.utf8), receivedAt: FixtureLoader.testEpoch)
            #expect(normalizer.cannotOpenIncident(message) == routine, "\(topic) \(payload)")
        }
    }
}
