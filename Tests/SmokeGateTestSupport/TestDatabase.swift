import Foundation
import SmokeGateCore
import SmokeGateStore

/// Where one test keeps its records: a SQLite file in a folder of its own or, when the suites
/// run on PostgreSQL (`SMOKEGATE_TEST_STORE=postgres`), an empty database of its own on the
/// test run's PostgreSQL server. Tests open their stores through it, so one suite runs on both.
public struct TestDatabase: Sendable {
    /// The SQLite file (also where a SQLite-only test looks, whichever engine runs).
    public let path: String
    /// The PostgreSQL database, when the suite runs on PostgreSQL.
    public let postgres: PostgresLocation?

    /// A new, empty database: a file in a new temporary folder, or a fresh PostgreSQL database.
    public static func make(prefix: String = "store") throws -> TestDatabase {
        let path = try TemporaryFolder.make(prefix: prefix).appendingPathComponent("smokegate.db").path
        return try TestDatabase(path: path)
    }

    /// The database at `path` (SQLite), or a fresh PostgreSQL one when the suite runs there.
    public init(path: String) throws {
        self.path = path
        postgres = TestPostgres.requested ? try PostgresLocation(url: try TestPostgres.shared().freshDatabase()) : nil
    }

    /// Whether the suite runs on PostgreSQL.
    public var isPostgres: Bool { postgres != nil }

    /// Another connection holds the database's write lock for `seconds`, on a thread of its own:
    /// SQLite's (`BEGIN EXCLUSIVE`, see `holdWriteLock(on:for:)`) or the cluster's write lock
    /// on PostgreSQL, held by a transaction that keeps running statements (a transaction idle
    /// that long would be ended by the server).
    public func holdWriteLock(for seconds: TimeInterval) -> Task<Void, any Error> {
        guard postgres != nil else { return SmokeGateTestSupport.holdWriteLock(on: path, for: seconds) }
        let database = self
        return Task {
            try await onOwnThread {
                try database.open().patch { db in
                    for _ in 0..<Int((seconds / 0.25).rounded()) { try db.execute(sql: "SELECT pg_sleep(0.25)") }
                }
            }
        }
    }

    /// Opens a store on this database (each call a new connection, as another process would).
    public func open(readOnly: Bool = false) throws -> Store {
        if let postgres { return try Store(postgres: postgres, readOnly: readOnly) }
        return try Store(path: path, readOnly: readOnly)
    }
}
