import Foundation
import GRDB
import SmokeGateCore

/// What the incident rules read before they decide on a detector's event: the detector's
/// stored condition, the incidents it can touch, and the silence that covers it.
struct RuleReads {
    var condition: DeviceCondition
    var open: OpenIncidents
    var silence: CoveringSilence?
}

extension Store {
    /// Whether the incident rules look at an event of this kind (a heartbeat or a test does
    /// not open, clear or escalate anything).
    static func rulesApply(to kind: EventKind) -> Bool { kind != .heartbeat && kind != .test }

    /// The rules' reads for `site` at `now`, as `storedCondition`, `openIncidents` and
    /// `coveringSilence` make them, sent together: on PostgreSQL one round trip instead of up
    /// to five, for every alarm. With them go the draws of an id for the incident and the call
    /// the rules may write, if none is taken ahead yet (`ReservedIDs`).
    func ruleReads(at site: IncidentSite, now: Date, _ db: any SQLConnection) throws -> RuleReads {
        let queries = Self.ruleReadQueries(at: site, now: now)
        let reads = queries.all
        let draws = db.reservedIDs?.drawQueries(count: 1) ?? []
        let rows = try db.fetchRowsTogether(reads + draws.map(\.query))
        db.reservedIDs?.keep(rows[reads.count...], drawnBy: draws)
        return try Self.ruleReads(rows[..<reads.count], queries)
    }

    /// `ruleReads`' queries: the condition's, then `openIncidents`', then `coveringSilence`'s.
    static func ruleReadQueries(at site: IncidentSite, now: Date) -> RuleReadQueries {
        RuleReadQueries(
            condition: storedConditionQuery(of: site.deviceID), open: openIncidentQueries(at: site),
            silence: coveringSilenceQueries(for: site, at: now))
    }

    /// `RuleReads` from the rows of `queries`, in their order.
    static func ruleReads(_ rows: ArraySlice<[Row]>, _ queries: RuleReadQueries) throws -> RuleReads {
        let open = rows.startIndex + 1
        let silence = open + queries.open.count
        return RuleReads(
            condition: storedCondition(rows[rows.startIndex]), open: try openIncidents(Array(rows[open..<silence])),
            silence: coveringSilence(Array(rows[silence..<(silence + queries.silence.count)])))
    }
}

/// The queries of one `ruleReads`.
struct RuleReadQueries {
    var condition: (sql: String, arguments: SQLArguments)
    var open: [(sql: String, arguments: SQLArguments)]
    var silence: [(sql: String, arguments: SQLArguments)]

    var all: [(sql: String, arguments: SQLArguments)] { [condition] + open + silence }
}

/// The incidents a group's earlier messages opened or changed, and the detectors they came
/// from: a message's rule reads, made for the whole group at its start (`groupMessageReads`), are
/// stale if one of these could be among them, and are then made again.
final class TouchedIncidents {
    private var ids: Set<Int64> = []
    private var venues: Set<String> = []
    private var devices: Set<String> = []

    /// An incident a message's rules opened or changed (its venue, its detectors).
    func record(_ incident: Incident) {
        ids.insert(incident.id)
        if let venue = incident.site.venueKey { venues.insert(venue) }
        devices.formUnion(incident.members)
        devices.insert(incident.site.deviceID)
    }

    /// A detector whose message was written (its condition may have changed).
    func record(device: String) { devices.insert(device) }

    /// Whether an earlier message of the group wrote `device`, or an incident it belongs to.
    func wrote(device: String) -> Bool { devices.contains(device) }

    /// Whether `reads`, made for `site` before the group's first write, may no longer be what
    /// a read now would return: an incident of its detector or of its venue was written since,
    /// or its detector's condition was.
    func staled(_ reads: RuleReads, at site: IncidentSite) -> Bool {
        devices.contains(site.deviceID) || site.venueKey.map(venues.contains) == true
            || (reads.open.ofDevice + reads.open.atVenue).contains { ids.contains($0.id) }
    }
}
