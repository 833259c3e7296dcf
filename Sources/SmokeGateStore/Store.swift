import Foundation
import GRDB
import SmokeGateCore

/// The gateway's records: incidents, their timelines and calls, the outbox, devices. On one
/// machine a SQLite file (one WAL-mode pool shared by the daemon's writers and any number of
/// readers: the operator CLI reads it while the daemon writes); for a cluster of gateways a
/// PostgreSQL database they share. The same queries and rules run on both (see `SQLConnection`).
public final class Store: Sendable {
    /// The SQLite file's path, or the PostgreSQL URL without its password: for messages.
    public let path: String
    /// The cluster node this store writes for (`cluster.node`), nil for a gateway on its own:
    /// events it stores are marked with it, and another node's copy of one is recognised.
    public let node: String?
    let engine: StoreEngine
    /// The SQLite log's copier when `WALCheckpoints.inBackground` (nil otherwise); it stops
    /// when the store is freed.
    private let checkpointer: WALCheckpointer?

    /// Opens (creating if needed) the SQLite database at `path` and brings its schema up to date.
    /// `node`: the node this store writes for; a cluster runs on PostgreSQL, but tests of the
    /// cluster's ingest rule run it on SQLite too (two stores on one file). `walCheckpoints`:
    /// who copies the write-ahead log back into the file (the daemon's store: in the background).
    public init(path: String, node: String? = nil, readOnly: Bool = false, walCheckpoints: WALCheckpoints = .byCommits)
        throws
    {
        self.path = path
        self.node = node
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(10)
        configuration.label = "smokegate"
        let writersAfterPages: Int? =
            if case .inBackground(_, let pages) = walCheckpoints { pages } else { nil }
        configuration.prepareDatabase { db in
            guard !db.configuration.readonly else { return }
            // Commits that can open an incident ask for FULL themselves (`durableWrite`);
            // batches of heartbeat state are soft and need not wait for the disk.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if let writersAfterPages { try db.execute(sql: "PRAGMA wal_autocheckpoint = \(writersAfterPages)") }
        }
        if !readOnly {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        if !readOnly { try Schema.migrator.migrate(pool) }
        engine = .sqlite(pool)
        checkpointer =
            if !readOnly, case .inBackground(let interval, _) = walCheckpoints {
                try WALCheckpointer(path: path, writer: pool, every: interval)
            } else { nil }
    }

    /// Connects to the PostgreSQL database at `location` and, unless `readOnly`, brings its
    /// schema up to date (one gateway at a time: the migration holds a lock).
    public init(
        postgres location: PostgresLocation, node: String? = nil, readOnly: Bool = false, deadline: TimeInterval = 10
    ) throws {
        path = location.redactedURL
        self.node = node
        let postgres = try PostgresEngine(location, deadline: deadline)
        do {
            if !readOnly { try PostgresSchema.migrate(postgres) }
        } catch {
            // PostgresNIO wants its connections closed before they are released.
            postgres.close()
            throw error
        }
        engine = .postgres(postgres)
        checkpointer = nil
    }

    deinit { engine.close() }

    /// Closes the connections it keeps open (PostgreSQL's; a SQLite pool closes with the
    /// store). A later call opens what it needs again.
    public func close() { engine.close() }

    /// A read that sees one consistent state of the database.
    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try engine.read(body) }

    /// A transaction whose commit may return before it is on disk: what a crash would lose is
    /// state written again from memory (heartbeat batches), never an event or a call.
    func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try engine.write(durable: false, body) }

    /// A transaction committed durably before it returns: on SQLite with `synchronous = FULL`
    /// (WAL synced); on PostgreSQL as the server's `synchronous_commit` says.
    func durableWrite<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try engine.write(durable: true, body) }

    /// A transaction that does not wait for the cluster's write lock nor, on PostgreSQL, for a
    /// synchronous standby (on SQLite, a write like any other): the leader's lease must be
    /// renewed even while a long write holds the lock or the standby is away, or the cluster
    /// would lose its leader for a reason that is not the leader's.
    func writeOutsideLock<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        switch engine {
        case .sqlite(let pool): try pool.write { try body(SQLiteConnection($0)) }
        case .postgres(let postgres): try postgres.writeOutsideLock(body)
        }
    }

    /// How many times this store's threads have waited for PostgreSQL's answers (nil on
    /// SQLite, whose statements are calls, not round trips).
    var postgresRoundTrips: Int? {
        guard case .postgres(let postgres) = engine else { return nil }
        return postgres.pool.roundTrips.total
    }

    /// The statements sent to PostgreSQL so far, on all connections; nil on SQLite.
    var postgresStatements: Int? {
        guard case .postgres(let postgres) = engine else { return nil }
        return postgres.pool.roundTrips.statements
    }

    /// Whether the schema is fully migrated (readers check before they query).
    public func isMigrated() throws -> Bool {
        switch engine {
        case .sqlite(let pool): try pool.read { db in try Schema.migrator.hasCompletedMigrations(db) }
        case .postgres(let postgres): try PostgresSchema.isMigrated(postgres)
        }
    }

    /// Runs `body` on the engine's connection in a read: for tests and tools that look at
    /// what is stored the way the store's own queries do.
    public func inspect<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try read(body) }

    /// Runs `body` in a durable write transaction, outside the store's rules: for tests that
    /// stage a state (a half-written registry, a lock held by another writer) and repair tools.
    public func patch<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try durableWrite(body) }
}
