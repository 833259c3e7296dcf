import Foundation
import RulebookScenarios
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

        #expect(try store.commit([alarm("det-1", at: t0)], state: state("det-1", at: t0), desk: nil).stored == [true])
        // Read at once, no waiting: with remote_apply the commit returned only once the standby
        // had replayed it.
        #expect(try onStandby.events(device: "det-1").map(\.kind) == ["alarm"])
        #expect(try primary.replication(of: "standby1")?.syncState == "sync")
    }

    /// Who stamped an alarm: a native detector's is known by its payload's bytes only, a
    /// platform's push by the platform's own stamp.
    enum Sender: String, CaseIterable, Sendable {
        case nativeDetector, platform
    }

    func alarm(from sender: Sender, at time: Date, mayBeRedelivery: Bool = false) -> IncomingEvent {
        guard sender == .platform else { return alarm("det-1", at: time, mayBeRedelivery: mayBeRedelivery) }
        return IncomingEvent(
            event: DetectorEvent(deviceID: "det-1", kind: .alarm, format: .ctwing, identity: .stamped("1795334400#1")),
            topic: "push", payload: #"{"timestamp":1795334400,"status":1}"#, receivedAt: time,
            mayBeRedelivery: mayBeRedelivery)
    }

    /// With its synchronous standby down the primary does not acknowledge a commit: the store
    /// gives up after its deadline and the gateway sends no PUBACK, so the broker keeps the
    /// alarm. That is the point: the alarm exists on one server only, and a failover now would
    /// lose it; an alarm the broker was told is safe must not be such an alarm.
    ///
    /// The transaction itself is in an in-between state: its commit record is in the primary's
    /// WAL ("committed locally"), but its backend waits for the standby (`wait_event` SyncRep),
    /// still holding its locks, and is invisible to every other session. The store cannot know
    /// whether it committed ("commit outcome unknown"). When the standby returns, the wait ends
    /// and it has committed. What the gateway then commits again:
    /// - its ingest's own retry of the message it held: the COMMIT went unanswered
    ///   (`StoreFailure.mayHaveCommitted`), so ingest marks the retry as a possible redelivery,
    ///   and the store recognises it, a platform's stamped alarm and a native one alike;
    /// - the broker's redelivery at a session's start (after a restart): recognised, both.
    @Test(arguments: Sender.allCases)
    func withTheStandbyDownACommitFailsAtTheDeadlineAndCommitsWhenItReturns(_ sender: Sender) async throws {
        let primary = try TestPostgres.start(password: "primary secret")
        defer { primary.shutdown() }
        let standby = try primary.startStandby(synchronousCommit: .remoteApply)
        defer { standby.shutdown() }
        // Opened (and migrated) while the standby is up: a migration commits too.
        let store = try Store(postgres: location(of: primary), deadline: 3)
        let desk = IncidentDesk(ladder: .standard, directory: TestStreet.directory, topicPrefix: "smokegate/notify")
        standby.stop()

        let message = alarm(from: sender, at: t0)
        let started = Date()
        let error = #expect(throws: PostgresFailure.self) {
            try store.commit([message], state: state("det-1", at: t0), desk: desk)
        }
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 2.9 && waited < 10, "failed after \(waited) s")
        #expect(error?.isPermanent == false, "a connection failure, which may pass: \(String(describing: error))")
        // Every statement was answered but the COMMIT: the outcome is unknown to the store.
        #expect(error?.sql == "COMMIT")
        #expect(error.map(StoreFailure.mayHaveCommitted) == true)

        // On the server: committed in the WAL, waiting for the standby, seen by nobody.
        #expect(try primary.psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'") == "1")
        #expect(try primary.psql("SELECT count(*) FROM event") == "0")

        // The gateway holds the message and retries: that cannot get through either (it would
        // wait behind the first transaction's locks, and then for the standby).
        #expect(throws: PostgresFailure.self) { try store.commit([message], state: state("det-1", at: t0), desk: desk) }
        #expect(try primary.psql("SELECT count(*) FROM event") == "0")

        // The standby is back: the waiting transaction completes, committed after all.
        try standby.start()
        try primary.waitForStandby("standby1", synchronous: true)
        #expect(try await eventually(timeout: 10) { try primary.psql("SELECT count(*) FROM event") == "1" })
        #expect(try primary.psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'") == "0")

        // The gateway's next retry of the held message, marked as ingest marks it after an
        // unanswered COMMIT: recognised as the event the first attempt committed.
        var retry = message
        retry.mayBeRedelivery = true
        let retried = try store.commit([retry], state: state("det-1", at: t0), desk: desk)
        #expect(retried.stored == [false])
        #expect(try store.events(device: "det-1").count == 1)
        #expect(try store.incidents(includeResolved: true).count == 1)

        // After a restart the broker redelivers what it was never acknowledged: recognised.
        let redelivered = alarm(from: sender, at: t0.addingTimeInterval(15), mayBeRedelivery: true)
        #expect(try store.commit([redelivered], state: state("det-1", at: redelivered.receivedAt), desk: desk).stored == [false])
        let onStandby = try Store(postgres: location(of: standby), readOnly: true)
        #expect(try onStandby.events(device: "det-1").count == store.events(device: "det-1").count)
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
        #expect(try store.commit([alarm("det-1", at: t0)], state: state("det-1", at: t0), desk: nil).stored == [true])

        primary.stop(immediately: true)
        try standby.promote()
        let promoted = try Store(postgres: location(of: standby))
        #expect(try promoted.events(device: "det-1").map(\.kind) == ["alarm"])
        #expect(try promoted.devices().first { $0.id == "det-1" }?.condition == [.smoke])
        // It is the primary now: the next alarm commits there.
        let next = IncomingEvent(
            event: DetectorEvent(deviceID: "det-2", kind: .alarm, format: .native, identity: .payloadDigest(1)),
            topic: "smokegate/detectors/det-2/event", payload: #"{"type":"alarm"}"#, receivedAt: t0.addingTimeInterval(60))
        #expect(try promoted.commit([next], state: state("det-2", at: next.receivedAt), desk: nil).stored == [true])
    }
}
