import Foundation
import GRDB
import SmokeGateCore

extension Store {
    public func devices() throws -> [DeviceRow] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM device ORDER BY registered DESC, id").map { row in
                DeviceRow(
                    id: row["id"], grid: row["grid"], address: row["address"], venue: row["venue"],
                    venueType: row["venue_type"], profile: row["profile"], registered: row["registered"],
                    format: row["format"], firstSeenAt: row["first_seen_at"], lastSeenAt: row["last_seen_at"],
                    battery: row["battery"], signal: row["signal"], condition: DeviceCondition(rawValue: row["condition"]),
                    lastEvent: row["last_event"], lastEventAt: row["last_event_at"], lastTestAt: row["last_test_at"])
            }
        }
    }

    public func events(device: String? = nil, kind: EventKind? = nil) throws -> [EventRow] {
        try read { db in
            var sql = "SELECT * FROM event WHERE 1 = 1"
            var arguments: SQLArguments = []
            if let device {
                sql += " AND device_id = ?"
                arguments += [device]
            }
            if let kind {
                sql += " AND kind = ?"
                arguments += [kind.rawValue]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments).map { row in
                EventRow(
                    id: row["id"], deviceID: row["device_id"], kind: row["kind"], format: row["format"], topic: row["topic"],
                    receivedAt: row["received_at"], occurredAt: row["occurred_at"], payload: row["payload"], notes: row["notes"])
            }
        }
    }

    public func rejectedMessages() throws -> [RejectedRow] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT topic, reason, detail FROM rejected_message ORDER BY id").map {
                RejectedRow(topic: $0["topic"], reason: $0["reason"], detail: $0["detail"])
            }
        }
    }
}
