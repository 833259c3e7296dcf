import Foundation
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// The daemon's store copies SQLite's write-ahead log back into the database file from a
/// connection of its own, so that no commit (an alarm's least of all) pays for copying the
/// heartbeats' pages; its writers still do it past a bound, should that copy stall.
@Suite(.enabled(if: !TestPostgres.requested, "SQLite's write-ahead log"))
struct WALCheckpointTests {
    @Test func commitsLeaveTheCopyToTheBackground() throws {
        let background = try Desk(.inBackground(every: .seconds(3_600)))
        try background.writeSixMiB()
        #expect(background.copiedBack == 0, "a commit copied the log back into the file")

        // The same writes, copied back by the commits as SQLite does on its own: the
        // measure sees a copy when there is one.
        let byCommits = try Desk(.byCommits)
        try byCommits.writeSixMiB()
        #expect(byCommits.copiedBack > 4_000_000)
    }

    @Test func theBackgroundCopiesTheLogBack() async throws {
        let desk = try Desk(.inBackground(every: .milliseconds(50)))
        try desk.writeSixMiB()
        #expect(await eventually(timeout: 10) { desk.copiedBack > 6_000_000 })
        #expect(try desk.count() == 1_500)
    }

    /// The log stays bounded beside writers that never pause, their transactions held open as
    /// a burst's group is while its messages are applied. A guard on the bound: the case only
    /// the second step (on the writer) mends shows in the benchmark's burst, not here (see
    /// docs/performance.md, "Checkpoints off the alarm's path").
    @Test func theLogStaysSmallBesideWritersThatNeverPause() throws {
        let desk = try Desk(.inBackground(every: .milliseconds(50)))
        let largest = Largest()
        // Two threads, 50 durable commits each of 400 KB held open 20 ms: 40 MB through the log.
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            for _ in 0..<50 {
                try? desk.store.patch { db in
                    try db.execute(
                        sql: """
                            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
                            INSERT INTO filler (data) SELECT randomblob(4000) FROM n
                            """)
                    usleep(20_000)
                }
                largest.note(Desk.size(desk.path + "-wal"))
            }
        }
        #expect(try desk.count() == 10_000, "every commit is stored")
        #expect(largest.value < 12_000_000, "the log grew to \(largest.value) bytes")
    }

    @Test func writersCopyItBackPastTheirBound() throws {
        let desk = try Desk(.inBackground(every: .seconds(3_600), writersAfterPages: 500))
        try desk.writeSixMiB()
        #expect(desk.copiedBack > 1_000_000, "the log grew past the writers' bound and nobody copied it back")
    }

    /// A store on a fresh file, and how much its database file (not its log) grew since.
    struct Desk {
        let store: Store
        let path: String
        let sizeAtStart: Int

        init(_ checkpoints: WALCheckpoints) throws {
            path = try TemporaryFolder.make(prefix: "wal").appendingPathComponent("smokegate.db").path
            store = try Store(path: path, walCheckpoints: checkpoints)
            try store.patch { db in try db.execute(sql: "CREATE TABLE filler (data BLOB NOT NULL)") }
            sizeAtStart = Self.size(path)
        }

        /// Three commits of 500 rows of 4,000 bytes: 1,500 pages of log and more, past
        /// SQLite's own threshold of 1,000.
        func writeSixMiB() throws {
            for _ in 0..<3 {
                try store.patch { db in
                    try db.execute(
                        sql: """
                            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
                            INSERT INTO filler (data) SELECT randomblob(4000) FROM n
                            """)
                }
            }
        }

        var copiedBack: Int { Self.size(path) - sizeAtStart }

        func count() throws -> Int? {
            try store.inspect { db in try db.fetchValue(Int.self, "SELECT count(*) FROM filler", [], cached: false) }
        }

        static func size(_ path: String) -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        }
    }

    /// The largest of the sizes noted, from any thread.
    final class Largest: @unchecked Sendable {
        private let lock = NSLock()
        private var largest = 0
        func note(_ size: Int) { lock.withLock { largest = max(largest, size) } }
        var value: Int { lock.withLock { largest } }
    }
}
