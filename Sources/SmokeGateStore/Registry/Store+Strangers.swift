import Foundation
import GRDB

extension Store {
    /// How long an unregistered device stays listed after it was last heard (rule 16).
    public static let strangerExpiry: TimeInterval = 7 * 86_400

    /// Forgets unregistered devices not heard since `cutoff`, at most `limit` per call in one
    /// short transaction: their rows in the device table go (their events stay, under the
    /// events' own retention). A stranger with an unresolved incident stays listed.
    public func forgetStrangers(notHeardSince cutoff: Date, limit: Int = 1_000) throws -> Int {
        try write { db in
            try db.execute(
                sql: """
                    DELETE FROM device WHERE id IN (
                      SELECT id FROM device
                      WHERE registered = 0 AND coalesce(last_seen_at, last_event_at, first_seen_at, 0) < ?
                        AND id NOT IN (
                          SELECT incident_detector.device_id FROM incident_detector
                          JOIN incident ON incident.id = incident_detector.incident_id
                          WHERE incident.state != 'resolved')
                      LIMIT ?)
                    """,
                arguments: [cutoff.epoch, limit])
            return try db.changesCount
        }
    }

    /// Unregistered devices listed now.
    public func strangerCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM device WHERE registered = 0") ?? 0 }
    }
}
