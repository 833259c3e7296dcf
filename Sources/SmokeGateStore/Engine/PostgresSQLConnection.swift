import Foundation
import GRDB
import Logging
import NIOCore
import PostgresNIO

/// A PostgresNIO connection as the store's `SQLConnection`.
///
/// The store is synchronous on purpose: libmosquitto's callback thread must hold the PUBACK
/// until the alarm is committed. So each statement is sent on the connection's event loop and
/// the calling thread (never an event loop's) waits for its answer, up to `deadline`; a
/// connection that does not answer in time is closed, which fails whatever it was doing, and
/// the pool drops it.
final class PostgresSQLConnection: SQLConnection {
    let connection: PostgresConnection
    let deadline: TimeInterval
    private let logger: Logger
    private var changes = 0
    /// Sends a statement that returns no rows without waiting for its answer (set for write
    /// transactions by `PostgresEngine`). The connection runs its statements in order, so the
    /// answers are collected at the next statement that reads, at `changesCount`, or at the
    /// COMMIT, and the first failure is thrown there: the transaction's outcome is the same,
    /// and an alarm's dozen statements cost one wake-up of this thread per read instead of
    /// one per statement.
    var pipelinesWrites = false
    /// Statements sent whose answers nobody has collected yet, oldest first.
    private var unanswered: [(answer: EventLoopFuture<PostgresQueryResult>, sql: String)] = []

    init(_ connection: PostgresConnection, deadline: TimeInterval, logger: Logger) {
        self.connection = connection
        self.deadline = deadline
        self.logger = logger
    }

    var engine: StoreEngineKind { .postgres }

    func execute(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws {
        guard pipelinesWrites else {
            _ = try run(sql, arguments)
            return
        }
        let query = Self.query(sql, arguments)
        unanswered.append((connection.query(query, logger: logger), query.sql))
    }

    /// Rows changed by the last statement, once its answer (and every one before) is in.
    var changesCount: Int {
        get throws {
            try collectAnswers()
            return changes
        }
    }

    func fetchRows(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws -> [Row] {
        try run(sql, arguments).rows.map(Self.row)
    }

    func fetchRow(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws -> Row? {
        try run(sql, arguments).rows.first.map(Self.row)
    }

    func fetchValue<Value: DatabaseValueConvertible>(_ type: Value.Type, _ sql: String, _ arguments: SQLArguments, cached: Bool)
        throws -> Value?
    {
        guard let cell = try run(sql, arguments).rows.first?.first else { return nil }
        return Value.fromDatabaseValue(try Self.value(of: cell))
    }

    func fetchValues<Value: DatabaseValueConvertible>(_ type: Value.Type, _ sql: String, _ arguments: SQLArguments)
        throws -> [Value]
    {
        try run(sql, arguments).rows.compactMap { row in try row.first.flatMap { Value.fromDatabaseValue(try Self.value(of: $0)) }
        }
    }

    func tableExists(_ name: String) throws -> Bool {
        try fetchValue(Bool.self, "SELECT to_regclass(?) IS NOT NULL", [name], cached: true) ?? false
    }

    func lastInsertedRowID() throws -> Int64 {
        try fetchValue(Int64.self, "SELECT lastval()", [], cached: true) ?? 0
    }

    /// Runs one statement (PostgreSQL's extended protocol: one statement per call), after
    /// collecting the answers of the statements sent before it.
    @discardableResult
    func run(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQueryResult {
        try collectAnswers()
        let query = Self.query(sql, arguments)
        let result = try answer(connection.query(query, logger: logger), sql: query.sql)
        changes = result.metadata.rows ?? 0
        return result
    }

    /// Waits for the answers of the statements sent and not yet answered, in order; throws
    /// the first failure (the transaction is then aborted, and the rest fail alike).
    func collectAnswers() throws {
        guard !unanswered.isEmpty else { return }
        let sent = unanswered
        unanswered.removeAll()
        for statement in sent {
            changes = try answer(statement.answer, sql: statement.sql).metadata.rows ?? 0
        }
    }

    /// Forgets the statements sent, waiting for each to end however it ends: before a
    /// ROLLBACK, which must follow them.
    func dropAnswers() {
        let sent = unanswered
        unanswered.removeAll()
        for statement in sent { _ = try? answer(statement.answer, sql: statement.sql) }
    }

    /// One statement's answer, its failure named with its SQL.
    private func answer(_ future: EventLoopFuture<PostgresQueryResult>, sql: String) throws -> PostgresQueryResult {
        do {
            return try wait(for: future)
        } catch let error as PSQLError {
            throw PostgresFailure(error, sql: sql)
        } catch let failure as PostgresFailure {
            throw PostgresFailure(connection: failure.message, sql: sql)
        }
    }

    /// The statement in PostgreSQL's dialect, with its arguments bound.
    private static func query(_ sql: String, _ arguments: SQLArguments) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch (argument?.databaseValue ?? .null).storage {
            case .null: bindings.appendNull()
            case .int64(let value): bindings.append(value)
            case .double(let value): bindings.append(value)
            case .string(let value): bindings.append(value)
            case .blob(let value): bindings.append(ByteBuffer(bytes: value))
            }
        }
        return PostgresQuery(unsafeSQL: PostgresDialect.translate(sql), binds: bindings)
    }

    /// The future's value, waited for on this thread up to `deadline`.
    func wait<Value: Sendable>(for future: EventLoopFuture<Value>) throws -> Value {
        precondition(!connection.eventLoop.inEventLoop, "the store must not wait on an event loop")
        guard let result = FutureWait.result(of: future, within: deadline) else {
            let _: EventLoopFuture<Void> = connection.close()
            throw PostgresFailure(connection: "no answer within \(Int(deadline)) s; the connection was closed")
        }
        return try result.get()
    }

    /// A GRDB row holding the cells as SQLite would: integers, doubles, text, blobs, flags as 0 or 1.
    static func row(_ postgresRow: PostgresRow) throws -> Row {
        var values: [String: (any DatabaseValueConvertible)?] = [:]
        for cell in postgresRow { values[cell.columnName] = try value(of: cell) }
        return Row(values)
    }

    static func value(of cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return try cell.decode(Int64.self).databaseValue
        case .float4, .float8: return try cell.decode(Double.self).databaseValue
        case .bool: return (try cell.decode(Bool.self) ? 1 : 0).databaseValue
        case .numeric:
            let number = try cell.decode(Decimal.self)
            let double = NSDecimalNumber(decimal: number).doubleValue
            return double.rounded() == double && abs(double) < 9e15 ? Int64(double).databaseValue : double.databaseValue
        case .bytea: return Data(try cell.decode(ByteBuffer.self).readableBytesView).databaseValue
        default: return try cell.decode(String.self).databaseValue
        }
    }
}
