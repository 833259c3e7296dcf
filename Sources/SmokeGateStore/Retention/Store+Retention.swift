import Foundation
import GRDB

extension Store {
    /// Deletes at most `limit` events received before `eventsBefore` and as many rejected
    /// messages received before `rejectedBefore`, oldest first, in one short transaction so
    /// that ingest never waits long for the writer. Returns how many rows went.
    public func prune(eventsBefore: Date, rejectedBefore: Date, limit: Int = 1_000) throws -> Int {
        try write { db in
            // The other nodes' copies recognised as these events go with them (a cluster's).
            try db.execute(
                sql: """
                    DELETE FROM event_echo WHERE event_id IN (
                      SELECT id FROM event WHERE received_at < ? ORDER BY received_at LIMIT ?)
                    """,
                arguments: [eventsBefore.epoch, limit])
            try db.execute(
                sql: "DELETE FROM event WHERE id IN (SELECT id FROM event WHERE received_at < ? ORDER BY received_at LIMIT ?)",
                arguments: [eventsBefore.epoch, limit])
            let events = try db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM rejected_message WHERE id IN (SELECT id FROM rejected_message WHERE received_at < ? ORDER BY id LIMIT ?)
                    """,
                arguments: [rejectedBefore.epoch, limit])
            return try events + db.changesCount
        }
    }
}
