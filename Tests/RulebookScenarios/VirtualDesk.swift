import Foundation
import SmokeGateCore

/// The incident rules driven by a virtual clock and held in memory: what the store and the
/// daemon's scheduler do, minus SQLite, so that fifteen minutes pass in microseconds.
public struct VirtualDesk: RulebookDesk {
    public static let start = Date(timeIntervalSince1970: 1_795_000_000)

    public var rules: IncidentRules
    public let directory: ResponseDirectory
    private var all: [Int64: Incident] = [:]
    /// The unresolved incidents' ids, oldest first: what events, deadlines and silences look at.
    private var unresolved: [Int64] = []
    private var timelines: [Int64: [TimelineEntry]] = [:]
    public private(set) var calls: [RulebookCall] = []
    public private(set) var now: TimeInterval = 0
    /// What each detector's events have left it in, as the ingest path keeps it.
    public private(set) var conditions: [String: DeviceCondition] = [:]
    private var silences: [Silence] = []
    private var released: Set<Int64> = []
    private var nextID: Int64 = 1

    public init(ladder: EscalationLadder = .standard, directory: ResponseDirectory = TestStreet.directory) {
        rules = IncidentRules(ladder: ladder)
        self.directory = directory
    }

    public func incidents() -> [Int64: Incident] { all }
    public func timeline(_ id: Int64) -> [TimelineEntry] { timelines[id] ?? [] }

    public mutating func event(_ kind: EventKind, from device: String, at seconds: TimeInterval) {
        advance(to: seconds)
        let site = directory.site(of: device)
        let before = conditions[device, default: []]
        perform(
            rules.apply(
                kind, site: site, at: date(seconds), open: open(for: site), silence: coveringSilence(for: site), before: before,
                registered: directory.device(device) != nil))
        conditions[device] = before.applying(kind)
    }

    public mutating func wentOffline(_ device: String, at seconds: TimeInterval) {
        advance(to: seconds)
        let site = directory.site(of: device)
        perform(
            rules.wentOffline(
                site: site, at: date(seconds), open: open(for: site), reason: "not heard", silence: coveringSilence(for: site),
                registered: directory.device(device) != nil)
        )
    }

    public mutating func heardAgain(_ device: String, at seconds: TimeInterval) {
        advance(to: seconds)
        perform(rules.heardAgain(at: date(seconds), open: open(for: directory.site(of: device))))
    }

    public mutating func acknowledge(_ id: Int64, by person: String, at seconds: TimeInterval) throws {
        advance(to: seconds)
        guard var incident = all[id] else { throw IncidentRefusal(incidentID: id, reason: .noSuchIncident) }
        let actions = try incident.acknowledge(by: person, note: nil, at: date(seconds))
        perform([IncidentChange(incident, actions)])
    }

    @discardableResult
    public mutating func resolve(_ id: Int64, by person: String, cause: String, at seconds: TimeInterval) throws -> [Int64] {
        advance(to: seconds)
        guard let incident = all[id] else { throw IncidentRefusal(incidentID: id, reason: .noSuchIncident) }
        let sensing: [StillSensing] =
            incident.kind != .fire
            ? []
            : incident.members.filter { conditions[$0, default: []].contains(.smoke) }
                .map { device in
                    let site = directory.site(of: device)
                    return StillSensing(site: site, silence: coveringSilence(for: site), open: open(for: site))
                }
        let changes = try rules.resolve(incident, by: person, cause: cause, note: nil, at: date(seconds), stillSensing: sensing)
        return Array(perform(changes).dropFirst())
    }

    @discardableResult
    public mutating func addSilence(_ target: Silence.Target, from: TimeInterval, until: TimeInterval) -> Int64 {
        advance(to: from)
        let id = Int64(silences.count + 1)
        silences.append(
            Silence(id: id, target: target, reason: "test", by: "tester", osUser: nil, startsAt: date(from), endsAt: date(until)))
        return id
    }

    public mutating func liftSilence(_ id: Int64, at seconds: TimeInterval) throws {
        advance(to: seconds)
        guard let index = silences.firstIndex(where: { $0.id == id }), silences[index].isActive(at: date(seconds)) else {
            throw RulebookFailure("silence \(id) is not in force")
        }
        silences[index].liftedAt = date(seconds)
        release([id])
    }

    /// Lets time pass to `seconds`, releasing silences as they end and firing every deadline
    /// at the moment it falls due.
    public mutating func advance(to seconds: TimeInterval) {
        while let next = [earliestDeadline(), earliestSilenceEnd()].compactMap({ $0 }).min(), next <= seconds {
            now = max(now, next)
            releaseEnded()
            fireDue()
        }
        now = max(now, seconds)
    }

    /// The gateway is down from now until `seconds`: nothing fires meanwhile; on restart the
    /// scheduler fires at once everything that fell due.
    public mutating func down(until seconds: TimeInterval) {
        now = seconds
        releaseEnded()
        fireDue()
    }

    private mutating func fireDue() {
        let due = unresolved.compactMap { all[$0] }.filter { $0.nextDeadline.map { $0 <= date(now) } ?? false }
            .sorted { ($0.nextDeadline!, $0.id) < ($1.nextDeadline!, $1.id) }
        for var incident in due {
            let actions = incident.deadlineReached(at: date(now))
            perform([IncidentChange(incident, actions)])
        }
    }

    private mutating func releaseEnded() {
        let ended = silences.filter { !released.contains($0.id) && ($0.endsAt <= date(now) || $0.liftedAt != nil) }
        release(ended.map(\.id))
    }

    private mutating func release(_ ids: [Int64]) {
        for id in ids.sorted() {
            let hidden = unresolved.compactMap { all[$0] }.filter { $0.silenceID == id }
            for incident in hidden {
                let persists =
                    incident.kind != .fire || incident.members.contains { conditions[$0, default: []].contains(.smoke) }
                let still = coveringSilence(for: directory.site(of: incident.site.deviceID))
                if let change = rules.silenceEnded(incident, at: date(now), persists: persists, stillSilenced: still) {
                    perform([change])
                }
            }
            released.insert(id)
        }
    }

    private func earliestDeadline() -> TimeInterval? {
        unresolved.compactMap { all[$0]?.nextDeadline?.timeIntervalSince(Self.start) }.min()
    }

    private func earliestSilenceEnd() -> TimeInterval? {
        silences.filter { !released.contains($0.id) && $0.liftedAt == nil }.map { $0.endsAt.timeIntervalSince(Self.start) }.min()
    }

    /// The silence covering `site` now, chosen as the store chooses it: the detector's own
    /// before its grid's, the one ending last, the newest of equals.
    private func coveringSilence(for site: IncidentSite) -> CoveringSilence? {
        var targets: [Silence.Target] = [.device(site.deviceID)]
        if let grid = site.gridID { targets.append(.grid(grid)) }
        for target in targets {
            let covering = silences.filter { $0.target == target && $0.isActive(at: date(now)) }
                .sorted { ($0.endsAt, $0.id) > ($1.endsAt, $1.id) }
            if let silence = covering.first { return silence.covering }
        }
        return nil
    }

    /// The unresolved incidents an event of `site`'s detector can touch, found as the store finds them.
    private func open(for site: IncidentSite) -> OpenIncidents {
        let unresolved = self.unresolved.compactMap { all[$0] }
        return OpenIncidents(
            ofDevice: unresolved.filter { $0.hasMember(site.deviceID) },
            atVenue: unresolved.filter {
                $0.kind == .fire && site.venueKey != nil && $0.site.venueKey == site.venueKey && !$0.hasMember(site.deviceID)
            })
    }

    /// Performs the changes; returns the ids of the incidents changed or opened, in order.
    @discardableResult
    private mutating func perform(_ changes: [IncidentChange]) -> [Int64] {
        var ids: [Int64] = []
        for change in changes {
            var incident = change.incident
            if change.opensIncident {
                incident.id = nextID
                nextID += 1
            }
            all[incident.id] = incident
            ids.append(incident.id)
            if change.opensIncident, incident.isUnresolved { unresolved.append(incident.id) }
            if !incident.isUnresolved { unresolved.removeAll { $0 == incident.id } }
            for action in change.actions {
                switch action {
                case .record(let entry): timelines[incident.id, default: []].append(entry)
                case .dispatch(let tier, let dispatch, let reason):
                    calls.append(RulebookCall(at: now, tier: tier, action: dispatch, incident: incident.id, reason: reason))
                case .schedule: break
                }
            }
        }
        return ids
    }

    private func date(_ seconds: TimeInterval) -> Date { Self.start.addingTimeInterval(seconds) }
}
