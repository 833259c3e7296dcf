import SmokeGateCore
import Testing

/// Real Zigbee2MQTT smoke detector states, replayed in order: events are the changes.
@Suite struct Zigbee2MQTTFixtureTests {
    /// Per model, the events each line of its fixture must produce (see Fixtures/README.md).
    static let expectations: [(file: String, events: [[EventKind]])] = [
        ("jtyj-gd-01lm-bw", [[], [.alarm], [], [.alarmClear], [.tamper], [.tamperClear], [.lowBattery], [.test], []]),
        ("jy-gz-01aq", [[], [.alarm], [.mute], [.alarmClear], [.test], [], [.lowBattery]]),
        ("hs1sa", [[], [], [.alarm], [.alarmClear], [.tamper], [.tamperClear], [.lowBattery], [.test], []]),
        ("smszb-120", [[], [.alarm], [.alarmClear], [.fault], [.faultClear], [.lowBattery], [.test], [], [.test]]),
        ("ts0601-smoke-1", [[], [], [.alarm], [.alarmClear], [.tamper], [.tamperClear], [.lowBattery]]),
        ("ts0601-smoke-2", [[], [.alarm], [.alarmClear], [.fault], [.faultClear], [.test], [], [.lowBattery]]),
        ("288wz", [[], [], [.alarm], [.mute], [.alarmClear], [.test], [.fault], [.faultClear], [], [.lowBattery]]),
    ]

    @Test(arguments: expectations.map(\.file))
    func modelStatesBecomeEvents(file: String) throws {
        let expected = Self.expectations.first { $0.file == file }!.events
        let lines = try FixtureLoader.lines("zigbee2mqtt/\(file).jsonl")
        #expect(lines.count == expected.count, "fixture \(file) has \(lines.count) lines")
        var replayer = Replayer()
        for (line, events) in zip(lines, expected) {
            let outcome = replayer.replay(line.message)
            #expect(outcome.kinds == events, "\(file).jsonl line \(line.number): \(outcome)")
        }
    }

    @Test func redeliveredStateChangesNothing() throws {
        let lines = try FixtureLoader.lines("zigbee2mqtt/jtyj-gd-01lm-bw.jsonl")
        var replayer = Replayer()
        #expect(replayer.replay(lines[1].message).kinds == [.alarm])
        #expect(replayer.replay(lines[1].message).kinds == [], "a QoS 1 redelivery of the same state is no new alarm")
    }

    @Test func realCapturesAreAcceptedAndSmokeTrueAlarms() throws {
        var replayer = Replayer()
        var alarms = 0
        for line in try FixtureLoader.lines("zigbee2mqtt/real-captures.jsonl") {
            let outcome = replayer.replay(line.message)
            let kinds = try #require(outcome.kinds, "real-captures line \(line.number) rejected: \(outcome)")
            alarms += kinds.filter { $0 == .alarm }.count
        }
        #expect(alarms == 1, "only the 2019 capture reports smoke")
    }

    @Test func availabilityIsLivenessAndTheBridgeIsNoDetector() throws {
        var replayer = Replayer()
        var kinds: [EventKind] = []
        var ignored = 0
        for line in try FixtureLoader.lines("zigbee2mqtt/availability.jsonl") {
            let outcome = replayer.replay(line.message)
            if outcome == .ignored || outcome.rejection?.reason == .unroutable {
                ignored += 1
            } else {
                kinds += try #require(outcome.kinds, "availability line \(line.number): \(outcome)")
            }
        }
        #expect(kinds.filter { $0 == .offline }.count == 3)
        #expect(kinds.filter { $0 == .online }.count == 3)
        #expect(ignored == 2)
    }
}
