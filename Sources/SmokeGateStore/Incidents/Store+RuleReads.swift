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
    /// to five, for every alarm.
    func ruleReads(at site: IncidentSite, now: Date, _ db: any SQLConnection) throws -> RuleReads {
        let open = Self.openIncidentQueries(at: site)
        let silence = Self.coveringSilenceQueries(for: site, at: now)
        let rows = try db.fetchRowsTogether([Self.storedConditionQuery(of: site.deviceID)] + open + silence)
        return RuleReads(
            condition: Self.storedCondition(rows[0]), open: try Self.openIncidents(Array(rows[1...open.count])),
            silence: Self.coveringSilence(Array(rows[(1 + open.count)...])))
    }
}
