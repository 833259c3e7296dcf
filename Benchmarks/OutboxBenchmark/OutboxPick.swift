import Foundation
import GRDB
import SmokeGateStore
import SmokeGateTestSupport

/// How long the dispatcher's query takes to hand over a fire's call (field rule 7), on an
/// outbox holding a million unsent maintenance calls, against the same query on an outbox
/// holding the fire's call alone, measured in the same run on the same machine. The query is
/// the dispatcher's: 200 messages at most, of which 20 maintenance messages.
struct OutboxPick {
    let rows: Int
    let runs: Int

    /// One line of the report: a scenario and its query times, in milliseconds.
    struct Line {
        var scenario: String
        var times: [Double]
    }

    func run() throws -> [Line] {
        let folder = try TemporaryFolder.make(prefix: "outbox-bench")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("smokegate.db").path)
        let queue = try DatabaseQueue(path: store.path)
        let now = Date()
        var lines: [Line] = []
        // The fire's call alone: the baseline.
        try insertFire(queue, at: now)
        lines.append(Line(scenario: "the fire's call alone (baseline)", times: try timePick(store, at: now)))
        // An ordinary outbox: the fire's call behind a batch's worth of maintenance calls.
        try insertMaintenance(queue, count: 200, at: now.addingTimeInterval(-60))
        lines.append(Line(scenario: "200 maintenance calls due, then the fire's", times: try timePick(store, at: now)))
        // A storm: `rows` maintenance calls written before the fire's, every one due.
        let fill = ContinuousClock().measure {
            try? insertMaintenance(queue, count: rows - 200, at: now.addingTimeInterval(-60))
        }
        print(String(format: "   %d maintenance rows written in %.1f s", rows, fill.secondsValue))
        lines.append(Line(scenario: "\(rows) maintenance calls due, then the fire's", times: try timePick(store, at: now)))
        // The broker refused or timed them out: every maintenance call waits out a backoff.
        try queue.write { db in
            try db.execute(
                sql: "UPDATE outbox SET next_attempt_at = ? WHERE priority = 1",
                arguments: [
                    now.timeIntervalSince1970 + 20
                ])
        }
        lines.append(Line(scenario: "\(rows) maintenance calls in backoff, the fire's due", times: try timePick(store, at: now)))
        var next: [Double] = []
        try queue.write { db in try db.execute(sql: "DELETE FROM outbox WHERE priority = 0") }
        for _ in 0..<runs {
            let start = ContinuousClock.now
            _ = try store.nextOutboxAttempt(at: now)
            next.append((ContinuousClock.now - start).secondsValue * 1_000)
        }
        lines.append(Line(scenario: "next attempt with \(rows) calls in backoff", times: next))
        return lines
    }

    /// Times `pendingNotifications` as the dispatcher calls it, checking the fire comes first.
    private func timePick(_ store: Store, at now: Date) throws -> [Double] {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            let batch = try store.pendingNotifications(at: now, limit: 200, maintenanceLimit: 20)
            times.append((ContinuousClock.now - start).secondsValue * 1_000)
            guard batch.first?.notification == "fire" else { throw BenchmarkFailure("the fire's call was not first") }
        }
        return times
    }

    private func insertFire(_ queue: DatabaseQueue, at now: Date) throws {
        try queue.write { db in
            try insertIncidents(db, kind: "fire", count: 1, at: now)
            try db.execute(
                sql: """
                    INSERT INTO outbox (id, notification, incident_id, action, tier, topic, payload, created_at, next_attempt_at, priority)
                    VALUES (1000000000, 'fire', last_insert_rowid(), 'notify', 'grid', 'smokegate/notify/grid/g-fire', '{}', ?, ?, 0)
                    """, arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970])
        }
    }

    /// Maintenance incidents and their calls, written straight into the tables (the rules
    /// would take minutes to open a million), ids below the fire's so the old order put them first.
    private func insertMaintenance(_ queue: DatabaseQueue, count: Int, at time: Date) throws {
        let payload = String(repeating: "x", count: 300)
        var written = 0
        while written < count {
            let chunk = min(100_000, count - written)
            try queue.write { db in
                let first = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM incident") ?? 0) + 1
                try insertIncidents(db, kind: "offline", count: chunk, at: time)
                let statement = try db.makeStatement(
                    sql: """
                        INSERT INTO outbox (id, notification, incident_id, action, tier, topic, payload, created_at, next_attempt_at,
                                            priority)
                        VALUES (?, ?, ?, 'notify', 'grid', ?, ?, ?, ?, 1)
                        """)
                for index in 0..<Int64(chunk) {
                    let incident = first + index
                    // Ids below the fire's (whose row is 1_000_000_000): written before it.
                    try statement.execute(arguments: [
                        incident, "m-\(incident)", incident, "smokegate/notify/grid/g\(incident % 40)", payload,
                        time.timeIntervalSince1970, time.timeIntervalSince1970,
                    ])
                }
            }
            written += chunk
        }
    }

    private func insertIncidents(_ db: Database, kind: String, count: Int, at time: Date) throws {
        let statement = try db.makeStatement(
            sql: """
                INSERT INTO incident (kind, state, device_id, address, venue, venue_type, opened_at, ladder, called)
                VALUES (?, 'open', ?, '-', '-', 'residential', ?, 'grid=0', 1)
                """)
        for index in 0..<count { try statement.execute(arguments: [kind, "\(kind)-\(index)", time.timeIntervalSince1970]) }
    }
}
