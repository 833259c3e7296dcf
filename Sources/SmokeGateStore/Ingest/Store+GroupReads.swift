import Foundation
import GRDB
import SmokeGateCore

/// A group's reads, made for all its messages at once: one statement for its detectors'
/// conditions, one for the incidents they can touch, one for the silences that may cover them.
///
/// PostgresNIO runs a connection's statements one after another, each waiting for the last
/// one's answer, so on PostgreSQL every statement costs a round trip through the server even
/// when its thread does not wait for it. An alarm's reads were five statements; a group of
/// 200 alarms now reads in three. Each message's `MessageReads` is then cut out of the rows
/// with exactly the conditions its own queries (`MessageReadQueries`) have.
struct GroupReadStatements {
    /// The longest list one statement names; a group names no more (ingest groups are smaller).
    static let largestList = 512

    let devices: [String]
    let incidentDevices: [String]
    let venues: [String]
    let grids: [String]
    let earliest: Date
    let latest: Date

    /// The statements, in the order `rows` expects their answers.
    var all: [(sql: String, arguments: SQLArguments)] {
        var statements = [
            (
                "SELECT id, condition, last_event_key FROM device WHERE id IN (\(PaddedList.placeholders(devices.count)))",
                PaddedList.padded(devices)
            )
        ]
        guard !incidentDevices.isEmpty else { return statements }
        // `members` holds every detector of an incident, as the per-message queries' subquery
        // on `incident_detector` sees them.
        statements.append(
            (
                """
                SELECT \(IncidentRow.columns) FROM incident
                WHERE state != 'resolved'
                  AND (id IN (SELECT incident_id FROM incident_detector WHERE device_id IN (\(PaddedList.placeholders(incidentDevices.count))))
                       OR (kind = 'fire' AND venue_key IN (\(PaddedList.placeholders(venues.count)))))
                ORDER BY id
                """,
                PaddedList.padded(incidentDevices) + PaddedList.padded(venues)
            ))
        statements.append(
            (
                """
                SELECT \(Store.silenceColumns) FROM silence
                WHERE lifted_at IS NULL AND ends_at > ? AND starts_at <= ?
                  AND ((target_kind = 'device' AND target IN (\(PaddedList.placeholders(incidentDevices.count))))
                       OR (target_kind = 'grid' AND target IN (\(PaddedList.placeholders(grids.count)))))
                """,
                [earliest.epoch, latest.epoch] + PaddedList.padded(incidentDevices) + PaddedList.padded(grids)
            ))
        return statements
    }
}

extension Store {
    /// Each message's reads for a group, made before it writes anything (`GroupReadStatements`),
    /// with an id for each incident and each call the group's rules may write: on PostgreSQL
    /// three statements and one wait for the group, instead of five statements per alarm.
    /// `TouchedIncidents` says which reads are stale by the time their message is written
    /// (`reads(for:…)`). The stamped messages' redelivery reads go with them, as one
    /// (`StoredStamps`).
    func groupMessageReads(
        _ messages: [(events: [IncomingEvent], state: DeviceLiveState)], desk: IncidentDesk?, _ db: any SQLConnection
    ) throws -> [(queries: MessageReadQueries, reads: MessageReads)?] {
        let queries = messages.map { Self.messageReadQueries($0.events, state: $0.state, desk: desk) }
        let sites: [IncidentSite?] = queries.map { queries in
            guard let queries, queries.rules != nil, let desk else { return nil }
            return desk.directory.site(of: queries.first.event.deviceID)
        }
        var devices: [String] = []
        for (message, queries) in zip(messages, queries) where queries != nil {
            devices += [message.state.deviceID, queries!.first.event.deviceID]
        }
        let ruleSites = sites.compactMap { $0 }
        let times = queries.compactMap { $0?.first.receivedAt }
        let statements = GroupReadStatements(
            devices: Self.distinct(devices), incidentDevices: Self.distinct(ruleSites.map(\.deviceID)),
            venues: Self.distinct(ruleSites.compactMap(\.venueKey)), grids: Self.distinct(ruleSites.compactMap(\.gridID)),
            earliest: times.min() ?? Date(timeIntervalSince1970: 0), latest: times.max() ?? Date(timeIntervalSince1970: 0))
        guard !devices.isEmpty, statements.devices.count <= GroupReadStatements.largestList else {
            return messages.map { _ in nil }
        }
        let stampRead = StoredStamps.query(queries.compactMap { $0?.first }.filter(\.event.identity.isStamped))
        let draws = db.reservedIDs?.drawQueries(count: ruleSites.count) ?? []
        let shared = statements.all + (stampRead.map { [$0] } ?? [])
        let rows = try db.fetchRowsTogether(shared + draws.map(\.query))
        db.reservedIDs?.keep(rows[shared.count...], drawnBy: draws)

        let stored = Dictionary(rows[0].map { ($0["id"] as String, $0) }, uniquingKeysWith: { first, _ in first })
        let incidents = try (rows.count > 1 && !ruleSites.isEmpty ? rows[1] : []).map { row in
            (incident: try IncidentRow.decode(row), venueKey: row["venue_key"] as String?, members: Self.members(row))
        }
        let silences = (!ruleSites.isEmpty ? rows[2] : []).map { row in
            (silence: Self.silence(row), startsAt: row["starts_at"] as Double, endsAt: row["ends_at"] as Double)
        }
        let storedStamps = StoredStamps(stampRead != nil ? rows[shared.count - 1] : [])
        return zip(messages, zip(queries, sites)).map { message, pair in
            guard let queries = pair.0 else { return nil }
            let first = queries.first
            let condition = DeviceCondition(rawValue: (stored[message.state.deviceID]?["condition"] as Int?) ?? 0)
            var reads = MessageReads(rules: nil, condition: condition, firstIsRedelivery: false)
            if first.event.identity.isStamped {
                reads.firstIsRedelivery = storedStamps.holds(first)
            } else if queries.redelivery != nil {
                reads.firstIsRedelivery =
                    (stored[first.event.deviceID]?["last_event_key"] as String?) == first.event.identity.key
            }
            if let site = pair.1 {
                let device = site.deviceID
                reads.rules = RuleReads(
                    condition: condition,
                    open: OpenIncidents(
                        ofDevice: incidents.filter { $0.members.contains(device) }.map(\.incident),
                        atVenue: site.venueKey.map { venue in
                            incidents.filter {
                                $0.incident.kind == .fire && $0.venueKey == venue && !$0.members.contains(device)
                            }.map(\.incident)
                        } ?? []),
                    silence: Self.covering(site, at: first.receivedAt, among: silences))
            }
            return (queries, reads)
        }
    }

    /// The silence that covers `site` at `now` among `silences`, as `coveringSilence` finds it:
    /// its detector's before its grid's, the one that ends last. Times are compared as stored
    /// (Unix seconds), as the query compares them.
    static func covering(
        _ site: IncidentSite, at now: Date, among silences: [(silence: Silence, startsAt: Double, endsAt: Double)]
    ) -> CoveringSilence? {
        let targets: [Silence.Target] = [.device(site.deviceID)] + (site.gridID.map { [.grid($0)] } ?? [])
        let at = now.epoch
        for target in targets {
            let current = silences.filter { $0.silence.target == target && $0.endsAt > at && $0.startsAt <= at }
            if let last = current.max(by: { ($0.endsAt, $0.silence.id) < ($1.endsAt, $1.silence.id) }) {
                return last.silence.covering
            }
        }
        return nil
    }

    /// The detectors an incident row names in `members`.
    static func members(_ row: Row) -> Set<String> {
        Set(((row["members"] as String?) ?? "").split(separator: "\u{1F}").map(String.init))
    }

    static func distinct(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
