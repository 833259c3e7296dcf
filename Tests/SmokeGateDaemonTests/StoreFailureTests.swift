import Foundation
import SmokeGateCore
import SmokeGateDaemon
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// A store error that retrying cannot fix stops the daemon unacknowledged, for systemd to
/// restart it and the broker to redeliver; a passing one (a lock) is waited out.
@Suite struct StoreFailureTests {
    @Test func aRowThisVersionCannotReadStopsTheDaemonAndTheBrokerRedeliversToTheNextStart() async throws {
        let harness = try DaemonHarness()
        // A newer version left an open incident of a kind this one does not know, on det-1.
        try Self.migrate(harness)
        try harness.database.open().patch { db in
            try db.execute(
                sql: """
                    INSERT INTO incident (id, kind, state, device_id, address, venue, venue_type, opened_at, ladder, called)
                    VALUES (41, 'evacuation_drill', 'open', 'det-1', '北湖路1号', '北湖小区1栋', 'residential', 0, '', 0)
                    """)
            try db.execute(sql: "INSERT INTO incident_detector (device_id, incident_id) VALUES ('det-1', 41)")
        }
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()

        // 0 s: det-1 alarms at QoS 1. Every commit refuses it the same way.
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":7}"#)
        let ending = try #require(await harness.ended(within: 15), "the daemon stops instead of retrying forever")
        guard case .failure(let error) = ending else { Issue.record("the daemon ended without an error"); return }
        let failure = try #require(error as? DaemonFailure, "\(error)")
        #expect(failure.loop == "ingest" && failure.device == "det-1", "\(failure)")
        #expect("\(failure)".contains("restarting so the broker redelivers"))
        #expect(try harness.store.events(kind: .alarm).isEmpty)
        #expect(responders.received.isEmpty)

        // The operator brings the version that knows the row (here: the row is closed), and
        // systemd starts the daemon again under the same client id.
        try harness.database.open().patch { db in try db.execute(sql: "UPDATE incident SET state = 'resolved' WHERE id = 41") }
        try await harness.start()
        #expect(
            await eventually(timeout: 15) {
                responders.received.contains { $0.field("action") == "notify" && $0.field("device") == "det-1" }
            }, "the broker redelivered the alarm it never had a PUBACK for")
        #expect(try harness.store.events(kind: .alarm).count == 1)
        #expect(responders.received.first?.topic == "smokegate/notify/grid/yq-c01-g01")
        await harness.stop()
    }

    @Test func aLockLongerThanTheBusyTimeoutIsWaitedOutAndTheAlarmStored() async throws {
        let harness = try DaemonHarness()
        try await harness.start()
        let responders = try await harness.responders()
        let publisher = try await harness.publisher()
        // Another process holds the write lock past the daemon's 10-second busy timeout.
        let lock = harness.database.holdWriteLock(for: 12)
        try await Task.sleep(for: .milliseconds(300))
        try await publisher.publish("smokegate/detectors/det-1/event", #"{"type":"alarm","seq":1}"#)
        try await lock.value
        #expect(
            await eventually(timeout: 10) { responders.received.contains { $0.field("device") == "det-1" } },
            "stored and called once the lock is gone")
        #expect(await harness.ended(within: 0) == nil, "a lock is waited out, not a reason to stop")
        await harness.stop()
    }

    /// Brings the schema up to date before the daemon first opens the database.
    static func migrate(_ harness: DaemonHarness) throws {
        _ = try harness.database.open()
    }
}
