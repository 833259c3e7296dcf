import Foundation
import SmokeGateCore

/// PostgreSQL under the store, with the transaction shapes the store's code was written for.
///
/// SQLite has one writer at a time, and the store's rules lean on it: a redelivery is known
/// by reading what is stored, then writing. On PostgreSQL several gateways write at once, so
/// every write transaction first takes one transaction-scoped advisory lock: writes are one at
/// a time across the cluster, as on SQLite, and the lock goes with the transaction (a
/// connection that dies or a transaction pooler cannot leave it held). Reads see one snapshot.
final class PostgresEngine: @unchecked Sendable {
    let pool: PostgresConnectionPool

    /// The key of the advisory lock every write takes ("SmokeGat" in ASCII).
    static let writeLock: Int64 = 0x536D_6F6B_6547_6174

    init(_ location: PostgresLocation, deadline: TimeInterval = 10) throws {
        pool = try PostgresConnectionPool(location, deadline: deadline)
    }

    /// A read-only transaction at REPEATABLE READ: every statement in it sees one snapshot.
    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try pool.withConnection { connection in
            try transaction(connection, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
        }
    }

    /// A write transaction, alone among the cluster's writers. `durable`: the commit waits
    /// for the server's `synchronous_commit` (its disk, and its synchronous standby where one
    /// is configured); otherwise it may return before that, as heartbeat batches do on SQLite.
    func write<T>(durable: Bool, _ body: (any SQLConnection) throws -> T) throws -> T {
        try pool.withConnection { connection in
            try transaction(connection, begin: "BEGIN") { connection in
                if !durable { try connection.execute("SET LOCAL synchronous_commit = off", [], cached: true) }
                try connection.execute("SELECT pg_advisory_xact_lock(?)", [Self.writeLock], cached: true)
                connection.pipelinesWrites = true
                connection.holdsWriteLock = true
                defer {
                    connection.reservedIDs?.forget()
                    connection.pipelinesWrites = false
                    connection.holdsWriteLock = false
                }
                let result = try body(connection)
                // Still under the lock: the ids taken ahead and not used go back.
                for statement in connection.reservedIDs?.giveBack() ?? [] {
                    try connection.execute(statement.sql, statement.arguments, cached: true)
                }
                return result
            }
        }
    }

    /// A transaction that takes no write lock and commits on the primary alone
    /// (`synchronous_commit = local`): the lease and the nodes' own rows, which must go on
    /// while a long write holds the lock or a synchronous standby is away. What it writes is
    /// not an alarm or a call; after a database failover the lease is judged again by epoch.
    func writeOutsideLock<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try pool.withConnection { connection in
            try transaction(connection, begin: "BEGIN") { connection in
                try connection.execute("SET LOCAL synchronous_commit = local", [], cached: true)
                return try body(connection)
            }
        }
    }

    func close() { pool.close() }

    private func transaction<T>(
        _ connection: PostgresSQLConnection, begin: String, _ body: (PostgresSQLConnection) throws -> T
    ) throws -> T {
        try connection.run(begin, [])
        let result: T
        do {
            result = try body(connection)
            // A write sent ahead and refused fails here, where a ROLLBACK can still follow
            // (a COMMIT of an aborted transaction would only roll it back, and say so quietly).
            try connection.collectAnswers()
        } catch {
            connection.dropAnswers()
            if !connection.connection.isClosed { _ = try? connection.run("ROLLBACK", []) }
            throw error
        }
        // A COMMIT whose answer is lost leaves the outcome unknown: the caller is told it
        // failed, and whatever it retries is recognised if it did commit (ingest is idempotent).
        try connection.run("COMMIT", [])
        return result
    }
}
