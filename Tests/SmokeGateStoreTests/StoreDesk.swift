import Foundation
import GRDB
import RulebookScenarios
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// The incident rules carried out by the real store on a real SQLite file, in virtual time:
/// what the daemon's ingest path, supervision and scheduler, and the CLI, ask of the store.
/// Driven by the same timelines and scenarios as `VirtualDesk`, so the two cannot drift apart.
struct StoreDesk: RulebookDesk {
    let store: Store
    let desk: IncidentDesk
    let folder: URL
    private(set) var now: TimeInterval = 0
    private(set) var calls: [RulebookCall] = []
    private var conditions: [String: DeviceCondition] = [:]
    private var lastOutboxRow: Int64 = 0
    private var events = 0
    /// The incidents as last read, until this desk writes again: the runs read them after
    /// every step, and most steps change none.
    private let cache = Cache()

    private final class Cache: @unchecked Sendable {
        var incidents: [Int64: Incident]?
    }

    init(ladder: EscalationLadder) throws {
        folder = try Self.folder()
        let path = folder.appendingPathComponent("smokegate.db").path
        store = try TestDatabase(path: path).open()
        desk = IncidentDesk(ladder: ladder, directory: TestStreet.directory, topicPrefix: "smokegate/notify")
    }

    /// A fresh folder on a memory file system where there is one: the runs commit thousands
    /// of times with `synchronous = FULL`, and what they test is the rules, not the disk.
    private static func folder() throws -> URL {
        let shm = URL(fileURLWithPath: "/dev/shm")
        guard FileManager.default.isWritableFile(atPath: shm.path) else {
            return try FileManager.default.temporaryDirectory.appendingPathComponent("smokegate-rulebook-\(UUID().uuidString)")
                .creatingFolder()
        }
        return try shm.appendingPathComponent("smokegate-rulebook-\(UUID().uuidString)").creatingFolder()
    }

    /// Removes the database files.
    func discard() { try? FileManager.default.removeItem(at: folder) }

    func incidents() throws -> [Int64: Incident] {
        if let incidents = cache.incidents { return incidents }
        let incidents = Dictionary(
            uniqueKeysWithValues: try store.incidents(includeResolved: true, limit: 1_000_000).map { ($0.id, $0) })
        cache.incidents = incidents
        return incidents
    }

    func timeline(_ id: Int64) throws -> [TimelineEntry] { try store.timeline(of: id) }

    mutating func event(_ kind: EventKind, from device: String, at seconds: TimeInterval) throws {
        try advance(to: seconds)
        events += 1
        let after = conditions[device, default: []].applying(kind)
        let event = DetectorEvent(deviceID: device, kind: kind, format: .native, identity: .stamped("event-\(events)"))
        try store.commit(
            [IncomingEvent(event: event, topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: date(seconds))],
            state: DeviceLiveState(
                deviceID: device, format: .native, lastSeenAt: date(seconds), reading: DeviceReading(), condition: after),
            desk: desk)
        conditions[device] = after
        try collectCalls()
    }

    mutating func wentOffline(_ device: String, at seconds: TimeInterval) throws {
        try advance(to: seconds)
        try store.wentOffline([(device, nil)], at: date(seconds), desk: desk)
        try collectCalls()
    }

    mutating func heardAgain(_ device: String, at seconds: TimeInterval) throws {
        try advance(to: seconds)
        try store.heardAgain([device], at: date(seconds), desk: desk)
        try collectCalls()
    }

    mutating func acknowledge(_ id: Int64, by person: String, at seconds: TimeInterval) throws {
        try advance(to: seconds)
        defer { cache.incidents = nil }
        try store.acknowledge(id, by: person, note: nil, at: date(seconds), desk: desk)
        try collectCalls()
    }

    mutating func resolve(_ id: Int64, by person: String, cause: String, at seconds: TimeInterval) throws -> [Int64] {
        try advance(to: seconds)
        let resolution = try store.resolve(id, by: person, cause: cause, note: nil, at: date(seconds), desk: desk)
        try collectCalls()
        return resolution.relatched.map(\.id)
    }

    mutating func addSilence(_ target: Silence.Target, from: TimeInterval, until: TimeInterval) throws -> Int64 {
        try advance(to: from)
        cache.incidents = nil
        return try store.addSilence(target, reason: "test", by: "tester", osUser: nil, from: date(from), until: date(until)).id
    }

    mutating func liftSilence(_ id: Int64, at seconds: TimeInterval) throws {
        try advance(to: seconds)
        try store.liftSilence(id, by: "tester", at: date(seconds), desk: desk)
        try collectCalls()
    }

    /// What the daemon's scheduler does as time passes: at each moment something falls due,
    /// releases the silences that ended, then fires the deadlines.
    mutating func advance(to seconds: TimeInterval) throws {
        while let next = [try store.nextDeadline(), try store.nextSilenceEnd()].compactMap({ $0 }).min(),
            next.timeIntervalSince(VirtualDesk.start) <= seconds
        {
            now = max(now, next.timeIntervalSince(VirtualDesk.start))
            try store.releaseSilences(at: date(now), desk: desk)
            while try store.fireDeadlines(at: date(now), limit: 500, desk: desk).fired == 500 {}
            try collectCalls()
        }
        now = max(now, seconds)
    }

    /// The calls written to the outbox since the last look.
    private mutating func collectCalls() throws {
        cache.incidents = nil
        let rows = try store.inspect { db in
            try Row.fetchAll(
                db, sql: "SELECT id, incident_id, tier, action, created_at, payload FROM outbox WHERE id > ? ORDER BY id",
                arguments: [lastOutboxRow])
        }
        for row in rows {
            let payload = try JSONSerialization.jsonObject(with: Data((row["payload"] as String).utf8)) as? [String: Any]
            calls.append(
                RulebookCall(
                    at: (row["created_at"] as Date).timeIntervalSince(VirtualDesk.start), tier: Tier(rawValue: row["tier"])!,
                    action: DispatchAction(rawValue: row["action"])!, incident: row["incident_id"],
                    reason: payload?["reason"] as? String ?? ""))
            lastOutboxRow = row["id"]
        }
    }

    private func date(_ seconds: TimeInterval) -> Date { VirtualDesk.start.addingTimeInterval(seconds) }
}

extension URL {
    fileprivate func creatingFolder() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
