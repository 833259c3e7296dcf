import Foundation
import GRDB
import SmokeGateCore

/// The gateway's SQLite database: one WAL-mode pool shared by the daemon's writers and any
/// number of readers (the operator CLI reads it while the daemon writes).
public final class Store: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(10)
        configuration.label = "smokegate"
        configuration.prepareDatabase { db in
            // Commits that can open an incident ask for FULL themselves (`durableWrite`);
            // batches of heartbeat state are soft and need not wait for the disk.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        }
        if !readOnly {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        if !readOnly { try Schema.migrator.migrate(pool) }
    }

    /// A transaction committed with `synchronous = FULL`: on disk, WAL synced, before it returns.
    func durableWrite<T>(_ updates: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
            var result: T?
            try db.inTransaction {
                result = try updates(db)
                return .commit
            }
            return result!
        }
    }

    /// Whether the schema is fully migrated (readers check before they query).
    public func isMigrated() throws -> Bool {
        try pool.read { db in try Schema.migrator.hasCompletedMigrations(db) }
    }
}
