import Foundation
import GRDB
import RulebookScenarios
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// A group commit makes its messages' reads for all of them at once, before it writes anything
/// (`groupMessageReads`: conditions, incidents, silences and redeliveries), and uses each
/// unless an earlier message of the group wrote what it read (`TouchedIncidents`). Whatever
/// the grouping, the store must end exactly as if every message had been committed alone: the
/// same events, incidents (and the silences covering them), timelines and calls. Seeded
/// sequences on the test street (two detectors sharing a venue, one elsewhere in the grid, one
/// in the other grid, one misplaced, strangers), with silences and redeliveries, on either
/// engine.
@Suite struct GroupRuleReadsTests {
    static let devices = ["det-1", "det-2", "det-3", "det-4", TestStreet.misplaced, "stranger-1", "stranger-2"]
    static let kinds: [EventKind] = [
        .alarm, .alarm, .alarm, .alarmClear, .alarmClear, .fault, .faultClear, .tamper, .lowBattery, .test, .heartbeat,
    ]

    typealias Message = (events: [IncomingEvent], state: DeviceLiveState)

    /// `count` messages, one event each, a second or two apart. Most are stamped; one in five
    /// is a platform's redelivery of an earlier stamped message, and one in five carries only
    /// its bytes' digest, in a broker session's first moments (a repeat of the detector's last
    /// event is then a redelivery).
    static func messages(seed: UInt64, count: Int) -> [Message] {
        var random = SplitMix64(seed: seed)
        var conditions: [String: DeviceCondition] = [:]
        var stamped: [Message] = []
        var seconds = 0.0
        return (0..<count).map { index in
            seconds += Double(Int.random(in: 0...2, using: &random))
            let at = Date(timeIntervalSince1970: 1_795_000_000 + seconds)
            let shape = Int.random(in: 0..<5, using: &random)
            if shape == 0, var again = stamped.randomElement(using: &random) {
                again.events[0].receivedAt = at
                again.state.lastSeenAt = at
                again.state.condition = conditions[again.state.deviceID, default: []]
                return again
            }
            let device = devices.randomElement(using: &random)!
            let kind = kinds.randomElement(using: &random)!
            let condition = conditions[device, default: []].applying(kind)
            conditions[device] = condition
            let identity: EventIdentity =
                shape == 1 ? .payloadDigest(UInt64(kinds.firstIndex(of: kind)!)) : .stamped("event-\(index)")
            let event = DetectorEvent(deviceID: device, kind: kind, format: .native, identity: identity)
            let message: Message = (
                [
                    IncomingEvent(
                        event: event, topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: at,
                        mayBeRedelivery: shape == 1)
                ],
                DeviceLiveState(deviceID: device, format: .native, lastSeenAt: at, reading: DeviceReading(), condition: condition)
            )
            if shape != 1 { stamped.append(message) }
            return message
        }
    }

    /// Up to three silences of a detector or a grid, each some seconds within the messages' minute.
    static func silences(seed: UInt64) -> [(target: Silence.Target, from: Date, until: Date)] {
        var random = SplitMix64(seed: seed ^ 0x5113)
        let targets: [Silence.Target] = devices.map { .device($0) } + [.grid("g1"), .grid("g2")]
        return (0..<Int.random(in: 0...3, using: &random)).map { _ in
            let from = Date(timeIntervalSince1970: 1_795_000_000 + Double(Int.random(in: -10...50, using: &random)))
            return (
                targets.randomElement(using: &random)!, from,
                from.addingTimeInterval(Double(Int.random(in: 1...40, using: &random)))
            )
        }
    }

    /// `messages` cut into groups of up to 12 in order, at most one message of a detector in
    /// each (as ingest makes them).
    static func groups(_ messages: [Message], seed: UInt64) -> [[Message]] {
        var random = SplitMix64(seed: seed ^ 0xFACE)
        var groups: [[Message]] = []
        var current: [Message] = []
        var size = Int.random(in: 1...12, using: &random)
        for message in messages {
            if current.count >= size || current.contains(where: { $0.state.deviceID == message.state.deviceID }) {
                groups.append(current)
                current = []
                size = Int.random(in: 1...12, using: &random)
            }
            current.append(message)
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    /// Everything the rules wrote, without the random notification ids.
    static func written(_ store: Store) throws -> [String] {
        let incidents = try store.incidents(includeResolved: true, limit: 100_000).sorted { $0.id < $1.id }
            .map { "incident \($0.id): \(StoreRulebookPropertyTests.summary($0)) \($0.silence?.label ?? "-")" }
        let lines = try store.inspect { db in
            let timeline = try Row.fetchAll(db, sql: "SELECT incident_id, at, action, tier FROM timeline ORDER BY id").map {
                "timeline \($0["incident_id"] as Int64) \($0["at"] as Double) \($0["action"] as String) \(($0["tier"] as String?) ?? "-")"
            }
            let calls = try Row.fetchAll(db, sql: "SELECT incident_id, tier, action, topic FROM outbox ORDER BY id").map {
                "call \($0["incident_id"] as Int64) \($0["tier"] as String) \($0["action"] as String) \($0["topic"] as String)"
            }
            let events = try Row.fetchAll(db, sql: "SELECT device_id, kind, dedupe_key FROM event ORDER BY id").map {
                "event \($0["device_id"] as String) \($0["kind"] as String) \($0["dedupe_key"] as String)"
            }
            // Named one by one: a PostgreSQL row's columns come back in no set order.
            let columns = [
                "id", "condition", "first_seen_at", "last_seen_at", "last_event", "last_event_at", "last_event_key",
                "last_test_at",
            ]
            let devices = try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM device ORDER BY id").map {
                row in "device " + columns.map { "\(row[$0] as DatabaseValue)" }.joined(separator: " ")
            }
            return timeline + calls + events + devices
        }
        return incidents + lines
    }

    @Test func groupsLeaveWhatMessagesCommittedAloneLeave() throws {
        let desk = IncidentDesk(
            ladder: RulebookScenario.ladder, directory: TestStreet.directory, topicPrefix: "smokegate/notify")
        var failures: [String] = []
        for seed in UInt64(1)...20 {
            let messages = Self.messages(seed: seed, count: 60)
            let alone = try TestDatabase.make(prefix: "group-reads").open()
            let grouped = try TestDatabase.make(prefix: "group-reads").open()
            for silence in Self.silences(seed: seed) {
                for store in [alone, grouped] {
                    _ = try store.addSilence(
                        silence.target, reason: "works", by: "tester", osUser: nil, from: silence.from, until: silence.until)
                }
            }
            for message in messages { try alone.commit([message], desk: desk) }
            let groups = Self.groups(messages, seed: seed)
            for group in groups { try grouped.commit(group, desk: desk) }
            let (expected, actual) = (try Self.written(alone), try Self.written(grouped))
            if expected != actual {
                let first =
                    zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(expected.count, actual.count)
                failures.append(
                    "seed \(seed), groups \(groups.map(\.count)): from line \(first), alone \(expected.dropFirst(first).prefix(3)), "
                        + "grouped \(actual.dropFirst(first).prefix(3))")
            }
            alone.close()
            grouped.close()
            if failures.count >= 2 { break }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func aDetectorTwiceInAGroupReadsWhatItsFirstMessageWrote() throws {
        let desk = IncidentDesk(
            ladder: RulebookScenario.ladder, directory: TestStreet.directory, topicPrefix: "smokegate/notify")
        // A caller may put several messages of one detector in a group: its row is written
        // before the next message reads it. Here the fire is acknowledged; a clear then smoke
        // again re-arms the ladder (rule 5), which it would not if the last alarm read the
        // condition the detector had before the clear (rule 4, still alarming).
        var condition: DeviceCondition = []
        let messages: [Message] = [EventKind.alarm, .alarm, .alarmClear, .alarm, .test].enumerated().map { index, kind in
            let at = Date(timeIntervalSince1970: 1_795_000_000 + Double(index) * 10)
            condition = condition.applying(kind)
            let event = DetectorEvent(deviceID: "det-4", kind: kind, format: .native, identity: .stamped("twice-\(index)"))
            return (
                [IncomingEvent(event: event, topic: "smokegate/detectors/det-4/event", payload: "{}", receivedAt: at)],
                DeviceLiveState(
                    deviceID: "det-4", format: .native, lastSeenAt: at, reading: DeviceReading(), condition: condition)
            )
        }
        var written: [[String]] = []
        for grouped in [false, true] {
            let store = try TestDatabase.make(prefix: "group-reads").open()
            try store.commit([messages[0]], desk: desk)
            let fire = try #require(try store.incidents(includeResolved: true, limit: 10).first)
            try store.acknowledge(fire.id, by: "王", note: nil, at: Date(timeIntervalSince1970: 1_795_000_005), desk: desk)
            if grouped {
                try store.commit(Array(messages.dropFirst()), desk: desk)
            } else {
                for message in messages.dropFirst() { try store.commit([message], desk: desk) }
            }
            written.append(try Self.written(store))
            let row = try store.inspect { db in
                try Row.fetchOne(db, sql: "SELECT last_event, last_test_at FROM device WHERE id = 'det-4'")
            }
            #expect(row?["last_event"] == "test")
            #expect(row?["last_test_at"] == 1_795_000_040.0)
        }
        #expect(written[1] == written[0])
        #expect(written[0].contains { $0.hasPrefix("timeline 1 1795000030.0 rearmed") }, "\(written[0])")
    }

    @Test func aSecondDetectorAtTheVenueJoinsTheFireOpenedEarlierInItsGroup() throws {
        let desk = IncidentDesk(
            ladder: RulebookScenario.ladder, directory: TestStreet.directory, topicPrefix: "smokegate/notify")
        let store = try TestDatabase.make(prefix: "group-reads").open()
        let at = Date(timeIntervalSince1970: 1_795_000_000)
        let group: [Message] = TestStreet.sharedVenue.enumerated().map { index, device in
            let event = DetectorEvent(deviceID: device, kind: .alarm, format: .native, identity: .stamped("alarm-\(index)"))
            return (
                [IncomingEvent(event: event, topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: at)],
                DeviceLiveState(deviceID: device, format: .native, lastSeenAt: at, reading: DeviceReading(), condition: [.smoke])
            )
        }
        try store.commit(group, desk: desk)
        let fires = try store.incidents(includeResolved: true, limit: 10).filter { $0.kind == .fire }
        #expect(fires.count == 1, "one fire at the venue, not one per detector: \(fires.map(\.members))")
        #expect(fires.first?.members.sorted() == TestStreet.sharedVenue)
    }
}
