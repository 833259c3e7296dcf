import Foundation
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
        #expect(
            kinds.filter { $0 == .online }.count == 2, "an online from a detector never reported offline is a heartbeat, not news"
        )
        #expect(ignored == 2)
    }

    @Test func flappingAvailabilityIsEveryChangeAndNoRepeat() throws {
        var replayer = Replayer()
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        var kinds: [EventKind] = []
        var identities: Set<EventIdentity> = []
        // The same bytes again and again, as a coordinator sends them; a second in between.
        for (second, state) in ["offline", "offline", "online", "offline", "online", "online"].enumerated() {
            let message = RawMessage(
                topic: "zigbee2mqtt/YQ-000047/availability", payload: Array(#"{"state":"\#(state)"}"#.utf8),
                receivedAt: start.addingTimeInterval(Double(second)))
            let outcome = replayer.replay(message)
            if case .accepted(let decoded) = outcome {
                kinds += decoded.events.map(\.kind)
                identities.formUnion(decoded.events.map(\.identity))
            }
        }
        #expect(kinds == [.offline, .online, .offline, .online], "a repeated state is no news")
        #expect(identities.count == 4, "identical bytes at another moment are another event, not a redelivery")
        // A redelivered smoke state changes nothing; smoke again after a clear is a new alarm.
        var states = Replayer()
        var alarms: [EventIdentity] = []
        for (second, smoke) in [true, true, false, true].enumerated() {
            let outcome = states.replay(
                RawMessage(
                    topic: "zigbee2mqtt/YQ-000047", payload: Array(#"{"smoke":\#(smoke),"battery":90}"#.utf8),
                    receivedAt: start.addingTimeInterval(Double(second))))
            if case .accepted(let decoded) = outcome { alarms += decoded.events.filter { $0.kind == .alarm }.map(\.identity) }
        }
        #expect(alarms.count == 2 && Set(alarms).count == 2)
    }
}
