import Foundation
import GRDB
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Field rule 7 in the outbox: fires first, and one unit's messages about one incident in
/// the order they were made (never `ack` before `notify`).
@Suite struct OutboxOrderTests {
    @Test func aFireCallWrittenAfterThousandsOfMaintenanceCallsGoesInTheNextBatch() throws {
        let street = try OutboxStreet(grids: 2_000, prefix: "fires-first")
        // 0-2000 s: a low battery in each of 2,000 grids, one a second; the broker is away,
        // so every call waits.
        for grid in 1...2_000 { try street.report("m-\(grid)", .lowBattery, at: Double(grid)) }
        #expect(try street.store.outboxBacklog() == 2_000)
        // 2001 s: smoke in grid 1.
        try street.report("fire-a", .alarm, at: 2_001)
        // The broker is back: the fire's grid call leads the first batch, the oldest jobs follow.
        let first = try street.dispatch(at: 2_002)
        #expect(first.count == 200 && first.prefix(3) == ["notify grid/g1", "notify grid/g1", "notify grid/g2"])
        let fire = try #require(try street.store.notifications(of: 2_001).first)
        #expect(fire.topic == "smokegate/notify/grid/g1" && fire.sentAt == street.at(2_002))
        // 2003 s: the grid acknowledges. Its `ack` is a fire's message too: it overtakes the
        // 1,801 maintenance calls still waiting.
        try street.store.acknowledge(2_001, by: "王", note: nil, at: street.at(2_003), desk: street.desk)
        #expect(try street.batch(at: 2_004, limit: 2) == ["ack grid/g1", "notify grid/g200"])
    }

    @Test func anAckWaitsBehindItsNotifyRetryingAndOtherThreadsAreNotHeld() throws {
        let street = try OutboxStreet(prefix: "thread-order")
        // 0: smoke at venue a; the grid call goes out and is confirmed.
        try street.report("fire-a", .alarm, at: 0)
        #expect(try street.dispatch(at: 0) == ["notify grid/g1"])
        // 180: nobody answered: the community is called, but the broker does not confirm it;
        // it is retried after half a second.
        #expect(try street.store.fireDeadlines(at: street.at(180), desk: street.desk).fired == 1)
        #expect(try street.dispatch(at: 180, confirmed: false) == ["notify community/c1"])
        // 180.1: the grid worker acknowledges. The grid may hear it at once; the community
        // must not hear `ack` before the `notify` still waiting out its backoff.
        try street.store.acknowledge(1, by: "王", note: nil, at: street.at(180.1), desk: street.desk)
        // 180.2: smoke at venue b, another incident on the same grid topic: not held either.
        try street.report("fire-b", .alarm, at: 180.2)
        #expect(try street.batch(at: 180.3) == ["ack grid/g1", "notify grid/g1"])
        #expect(try street.dispatch(at: 180.3) == ["ack grid/g1", "notify grid/g1"])
        // Nothing is due before the retry: the dispatcher sleeps until then, not at once.
        #expect(try street.batch(at: 180.4).isEmpty)
        #expect(try street.store.nextOutboxAttempt(at: street.at(180.4)) == street.at(180.5))
        #expect(try street.store.nextOutboxAttempt() == street.at(180.5))
        // 180.5: the retry goes alone; its `ack` does not share the batch (a broker would pass
        // the `ack` on even if the `notify` beside it had to be retried again).
        #expect(try street.dispatch(at: 180.5) == ["notify community/c1"])
        #expect(try street.dispatch(at: 180.6) == ["ack community/c1"])
        #expect(
            try street.store.notifications(of: 1).map { "\($0.topic.dropFirst(17))" } == [
                "grid/g1", "community/c1", "grid/g1", "community/c1",
            ])
        #expect(try street.store.outboxBacklog() == 0 && street.store.nextOutboxAttempt() == nil)
    }

    @Test func aRetriedNotifyHoldsItsResolveTooAndAStepBackDoesNotStrandIt() throws {
        let street = try OutboxStreet(prefix: "thread-resolve")
        try street.report("m-1", .lowBattery, at: 0)
        #expect(try street.dispatch(at: 0, confirmed: false) == ["notify grid/g1"])
        try street.report("m-1", .batteryRestored, at: 0.2, seq: 2)
        #expect(try street.batch(at: 0.3).isEmpty, "the resolve waits for its notify")
        // The wall clock stepped back an hour (by another process): the retry planned for
        // 0.5 s now looks an hour away, and is due at once, its thread with it in turn.
        #expect(try street.store.nextOutboxAttempt(at: street.at(-3_600)) == street.at(-3_600))
        #expect(try street.dispatch(at: -3_600) == ["notify grid/g1"])
        #expect(try street.dispatch(at: -3_600) == ["resolve grid/g1"])
    }

    @Test(.enabled(if: !TestPostgres.requested, "upgrades a SQLite file of an older schema"))
    func theMigrationGivesWaitingRowsTheirIncidentsPriority() throws {
        let street = try OutboxStreet(prefix: "outbox-backfill")
        try street.report("m-1", .lowBattery, at: 0)
        try street.report("fire-a", .alarm, at: 1)
        // As a database written before v8 would hold them: no priority, and v8 not yet run.
        let queue = try DatabaseQueue(path: street.path)
        try queue.write { db in
            try db.execute(sql: "UPDATE outbox SET priority = 0")
            try db.execute(sql: "DROP INDEX outbox_waiting; DROP INDEX outbox_waiting_by_thread")
            try db.execute(sql: "ALTER TABLE outbox DROP COLUMN priority")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v8-outbox-order'")
        }
        let upgraded = try Store(path: street.path)
        #expect(try upgraded.pendingNotifications(at: street.at(2)).map(\.id) == [2, 1], "the fire's call first")
    }
}
