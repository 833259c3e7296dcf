import Foundation
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// The database layout of "Two gateways and a replicated PostgreSQL" in `docs/operations.md`,
/// on real servers: a primary committing synchronously to a streaming standby. The gateway
/// acknowledges an alarm to the broker (PUBACK) only once `Store.commit` returned, so what
/// these tests show is what a database failover can and cannot take from an acknowledged alarm.
///
/// Each test starts its own primary and standby (with a password, as in production), whatever
/// `SMOKEGATE_TEST_STORE` says; one at a time, as each is two servers.
@Suite(.serialized, .enabled(if: TestPostgres.isInstalled, "needs PostgreSQL's server binaries and pg_basebackup"))
struct SynchronousStandbyTests {
    let t0 = Date(timeIntervalSince1970: 1_795_334_400)

    /// A native detector's alarm: identified by its payload's bytes only, as every native
    /// event is, so a resent copy is known only as the broker's redelivery (`mayBeRedelivery`).
    func alarm(_ device: String, at time: Date, mayBeRedelivery: Bool = false) -> IncomingEvent {
        IncomingEvent(
            event: DetectorEvent(deviceID: device, kind: .alarm, format: .native, identity: .payloadDigest(0x5EED)),
            topic: "smokegate/detectors/\(device)/event", payload: #"{"type":"alarm","seq":7}"#, receivedAt: time,
            mayBeRedelivery: mayBeRedelivery)
    }

    func state(_ device: String, at time: Date) -> DeviceLiveState {
        DeviceLiveState(deviceID: device, format: .native, lastSeenAt: time, reading: DeviceReading(), condition: [.smoke])
    }

    /// The `database:` a gateway would be given for `server`, with the password it reads from
    /// `database_password_file`.
    func location(of server: TestPostgres) throws -> PostgresLocation {
        var location = try PostgresLocation(url: server.url)
        location.password = server.password
        return location
    }

    @Test func anAlarmCommittedOnThePrimaryIsOnTheStandbyWhenTheCommitReturns() throws {
        let primary = try TestPostgres.start(password: "primary secret")
        defer { primary.shutdown() }
        let standby = try primary.startStandby(synchronousCommit: .remoteApply)
        defer { standby.shutdown() }
        let store = try Store(postgres: location(of: primary))
        let onStandby = try Store(postgres: location(of: standby), readOnly: true)

        #expect(try store.commit([alarm("det-1", at: t0)], state: state("det-1", at: t0)).stored == [true])
        // Read at once, no waiting: with remote_apply the commit returned only once the standby
        // had replayed it.
        #expect(try onStandby.events(device: "det-1").map(\.kind) == ["alarm"])
        #expect(try primary.replication(of: "standby1")?.syncState == "sync")
    }

    /// With its synchronous standby down the primary does not acknowledge a commit: the store
    /// gives up after its deadline and the gateway sends no PUBACK, so the broker keeps the
    /// alarm. That is the point: the alarm exists on one server only, and a failover now would
    /// lose it; an alarm the broker was told is safe must not be such an alarm.
    ///
    /// The transaction itself is in an in-between state: its commit record is in the primary's
    /// WAL ("committed locally"), but its backend waits for the standby (`wait_event` SyncRep),
    /// still holding its locks and invisible to every other session. The client has no way to
    /// know whether it committed ("commit outcome unknown"). When the standby returns, the
    /// wait ends and it has committed; the broker's redelivery of the alarm, committed again,
    /// is then recognised by the ingest rules and not stored twice.
    @Test func withTheStandbyDownACommitFailsAtTheDeadlineAndItsRedeliveryIsStoredOnce() async throws {
        let primary = try TestPostgres.start(password: "primary secret")
        defer { primary.shutdown() }
        let standby = try primary.startStandby(synchronousCommit: .remoteApply)
        defer { standby.shutdown() }
        // Opened (and migrated) while the standby is up: a migration commits too.
        let store = try Store(postgres: location(of: primary), deadline: 3)
        standby.stop()

        let started = Date()
        let error = #expect(throws: PostgresFailure.self) {
            try store.commit([alarm("det-1", at: t0)], state: state("det-1", at: t0))
        }
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 2.9 && waited < 10, "failed after \(waited) s")
        #expect(error?.isPermanent == false, "a connection failure, which may pass: \(String(describing: error))")
        // Every statement was answered but the COMMIT: the outcome is unknown to the store.
        #expect(error?.sql == "COMMIT")

        // On the server: committed in the WAL, waiting for the standby, seen by nobody.
        #expect(try primary.psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'") == "1")
        #expect(try primary.psql("SELECT count(*) FROM event") == "0")

        // The gateway cut its broker session, so the broker resends the alarm as the session
        // resumes. Its commit cannot get through either (it would wait behind the first
        // transaction's locks, and then for the standby): it fails at the deadline, no PUBACK.
        let resent = alarm("det-1", at: t0.addingTimeInterval(5), mayBeRedelivery: true)
        let e1 = #expect(throws: PostgresFailure.self) { try store.commit([resent], state: state("det-1", at: resent.receivedAt)) }
        let other = try Store(postgres: location(of: primary), readOnly: true, deadline: 3)
        let e2 = #expect(throws: PostgresFailure.self) { try other.patch { db in try db.execute(sql: "SELECT 1") } }
        let e3 = #expect(throws: PostgresFailure.self) { try store.commit([resent], state: state("det-1", at: resent.receivedAt)) }
        Issue.record("EXPERIMENT same store: \(String(describing: e1)) | fresh store: \(String(describing: e2)) | same store again: \(String(describing: e3))")
        #expect(try primary.psql("SELECT count(*) FROM event") == "0")

        // The standby is back: the waiting transaction completes, committed after all.
        try standby.start()
        try primary.waitForStandby("standby1", synchronous: true)
        #expect(try await eventually(timeout: 10) { try primary.psql("SELECT count(*) FROM event") == "1" })
        #expect(try primary.psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'") == "0")

        // The next redelivery commits, and is recognised: the bytes of the detector's last
        // stored event, at a session's start. (A stamped event is known by its stamp alone.)
        let again = alarm("det-1", at: t0.addingTimeInterval(15), mayBeRedelivery: true)
        #expect(try store.commit([again], state: state("det-1", at: again.receivedAt)).stored == [false])
        #expect(try store.events(device: "det-1").count == 1)
        #expect(try Store(postgres: location(of: standby), readOnly: true).events(device: "det-1").count == 1)
    }

    /// The failover: the primary dies, the standby is promoted, and a gateway that connects to
    /// it finds every alarm it acknowledged. `synchronous_commit = on` is enough for this
    /// (promotion replays all the WAL the standby flushed), so this test runs with it.
    @Test func aStoreOnThePromotedStandbyHasTheAlarmTheCommitAcknowledged() throws {
        let primary = try TestPostgres.start(password: "primary secret")
        defer { primary.shutdown() }
        let standby = try primary.startStandby(synchronousCommit: .on)
        defer { standby.shutdown() }
        let store = try Store(postgres: location(of: primary))
        #expect(try store.commit([alarm("det-1", at: t0)], state: state("det-1", at: t0)).stored == [true])

        primary.stop(immediately: true)
        try standby.promote()
        let promoted = try Store(postgres: location(of: standby))
        #expect(try promoted.events(device: "det-1").map(\.kind) == ["alarm"])
        #expect(try promoted.devices().first { $0.id == "det-1" }?.condition == [.smoke])
        // It is the primary now: the next alarm commits there.
        let next = IncomingEvent(
            event: DetectorEvent(deviceID: "det-2", kind: .alarm, format: .native, identity: .payloadDigest(1)),
            topic: "smokegate/detectors/det-2/event", payload: #"{"type":"alarm"}"#, receivedAt: t0.addingTimeInterval(60))
        #expect(try promoted.commit([next], state: state("det-2", at: next.receivedAt)).stored == [true])
    }
}
