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
    let logger: Logger
    /// The statements this connection keeps prepared (nil: every statement runs unnamed).
    let prepared: PreparedStatements?
    private var changes = 0
    /// Sends a statement that returns no rows without waiting for its answer (set for write
    /// transactions by `PostgresEngine`). The connection runs its statements in order, so the
    /// answers are collected at the next statement that reads, at `changesCount`, or at the
    /// COMMIT, and the first failure is thrown there: the transaction's outcome is the same,
    /// and an alarm's dozen statements cost one wake-up of this thread per read instead of
    /// one per statement.
    var pipelinesWrites = false
    /// Set while this connection's transaction holds the cluster's write lock
    /// (`PostgresEngine.write`): only then may ids be taken ahead.
    var holdsWriteLock = false
    private let idsTakenAhead = ReservedIDs()
    var reservedIDs: ReservedIDs? { holdsWriteLock ? idsTakenAhead : nil }
    /// Statements sent whose answers nobody has collected yet, oldest first.
    private var unanswered: [SentStatement] = []
    /// Inserts kept back to go together (`insertLater`), while writes are sent ahead.
    private var keptInserts = KeptInserts()

    /// Counts this connection's waits for answers (its pool's count).
    let roundTrips: RoundTrips

    init(
        _ connection: PostgresConnection, deadline: TimeInterval, logger: Logger, prepared: PreparedStatements? = nil,
        roundTrips: RoundTrips = RoundTrips()
    ) {
        self.connection = connection
        self.deadline = deadline
        self.logger = logger
        self.prepared = prepared
        self.roundTrips = roundTrips
    }

    var engine: StoreEngineKind { .postgres }

    func execute(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws {
        guard pipelinesWrites else {
            _ = try run(sql, arguments, cached: cached)
            return
        }
        try sendKeptInserts()
        unanswered.append(try send(sql, arguments, cached: cached))
    }

    func insertLater(into table: String, columns: String, rows: [SQLArguments], suffix: String) throws {
        let target = KeptInserts.Target(table: table, columns: columns, suffix: suffix)
        guard pipelinesWrites else { return try insertNow(rows, into: target) }
        keptInserts.keep(rows, for: target)
    }

    /// Sends the inserts kept back, as few statements as their tables allow, ahead of
    /// whatever comes next.
    func sendKeptInserts() throws {
        guard !keptInserts.isEmpty else { return }
        for statement in keptInserts.take() {
            // A single row recurs: kept prepared. Many rows: a shape seldom seen twice.
            unanswered.append(try send(statement.sql, statement.arguments, cached: statement.rows == 1))
        }
    }

    /// Rows changed by the last statement, once its answer (and every one before) is in. The
    /// inserts kept back are not sent for it: nothing reads their count.
    var changesCount: Int {
        get throws {
            try collectSentAnswers()
            return changes
        }
    }

    func fetchRows(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws -> [Row] {
        try run(sql, arguments, cached: cached).rows.map(Self.row)
    }

    func fetchRowsTogether(_ queries: [(sql: String, arguments: SQLArguments)]) throws -> [[Row]] {
        roundTrips.add()
        try collectAnswers(counted: true)
        var sent: [SentStatement] = []
        for query in queries { sent.append(try send(query.sql, query.arguments, cached: true)) }
        var answers: [StatementAnswer] = []
        var failure: (any Error)?
        for statement in sent {
            // After a failure the rest are still waited for, as `dropAnswers` does.
            guard failure == nil else {
                _ = try? answer(statement)
                continue
            }
            do { answers.append(try answer(statement)) } catch { failure = error }
        }
        if let failure { throw failure }
        changes = answers.last?.changed ?? changes
        return try answers.map { try $0.rows.map(Self.row) }
    }

    func fetchRow(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws -> Row? {
        try run(sql, arguments, cached: cached).rows.first.map(Self.row)
    }

    func fetchValue<Value: DatabaseValueConvertible>(_ type: Value.Type, _ sql: String, _ arguments: SQLArguments, cached: Bool)
        throws -> Value?
    {
        guard let cell = try run(sql, arguments, cached: cached).rows.first?.first else { return nil }
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
    /// collecting the answers of the statements sent before it. `cached`: run by name, kept
    /// prepared on this connection (`send`).
    @discardableResult
    func run(_ sql: String, _ arguments: SQLArguments, cached: Bool = false) throws -> StatementAnswer {
        roundTrips.add()
        try collectAnswers(counted: true)
        let result = try answer(try send(sql, arguments, cached: cached))
        changes = result.changed
        return result
    }

    /// Sends the inserts kept back, then waits for the answers of the statements sent and not
    /// yet answered, in order; throws the first failure (the transaction is then aborted, and
    /// the rest fail alike). `counted`: the caller counts this wait as part of its own round trip.
    func collectAnswers(counted: Bool = false) throws {
        try sendKeptInserts()
        try collectSentAnswers(counted: counted)
    }

    /// `collectAnswers` without sending the inserts kept back.
    private func collectSentAnswers(counted: Bool = false) throws {
        guard !unanswered.isEmpty else { return }
        if !counted { roundTrips.add() }
        let sent = unanswered
        unanswered.removeAll()
        for statement in sent {
            changes = try answer(statement).changed
        }
    }

    /// Forgets the statements sent, waiting for each to end however it ends: before a
    /// ROLLBACK, which must follow them.
    func dropAnswers() {
        keptInserts = KeptInserts()
        let sent = unanswered
        unanswered.removeAll()
        for statement in sent { _ = try? answer(statement) }
    }

    /// One statement's answer, its failure named with its SQL.
    ///
    /// A statement sent by name that the server can no longer run as prepared (another node
    /// changed a table under it: `0A000`, "cached plan must not change result type"), or does
    /// not know (`26000`), fails this try, and the connection is closed with what it prepared:
    /// the next try, on a new connection, prepares it again.
    func answer(_ statement: SentStatement) throws -> StatementAnswer {
        do {
            return try wait(for: statement.answer)
        } catch let error as PSQLError {
            var failure = PostgresFailure(error, sql: statement.sql)
            if statement.named, failure.sqlState == "0A000" || failure.sqlState == "26000" {
                let _: EventLoopFuture<Void> = connection.close()
                failure.preparedStatementLost = true
            }
            throw failure
        } catch let failure as PostgresFailure {
            throw PostgresFailure(connection: failure.message, sql: statement.sql)
        }
    }

    /// The arguments as PostgreSQL binds them.
    static func bindings(_ arguments: SQLArguments) -> PostgresBindings {
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
        return bindings
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
