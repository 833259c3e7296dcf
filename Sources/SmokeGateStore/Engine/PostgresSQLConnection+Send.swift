import Logging
import NIOCore
import PostgresNIO

/// What PostgreSQL answered to one statement: its rows, and how many rows it changed.
struct StatementAnswer: Sendable {
    var rows: [PostgresRow]
    var changed: Int
}

/// A statement on its way: its answer to come, its PostgreSQL text (what a failure names), and
/// whether it went by name.
struct SentStatement {
    let answer: EventLoopFuture<StatementAnswer>
    let sql: String
    let named: Bool
}

extension PostgresSQLConnection {
    /// Sends one statement. A `cached` one goes by name (`NamedStatement`): prepared at its
    /// first run on this connection, which is waited for here, so that nothing sent after it
    /// overtakes it while PostgresNIO prepares it; then sent in order with the rest. Any other
    /// goes unnamed, parsed and planned by the server each time.
    func send(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws -> SentStatement {
        roundTrips.addStatement()
        let text = PostgresDialect.translate(sql)
        let bindings = Self.bindings(arguments)
        guard cached, let prepared, let statement = StatementRegistry.shared.statement(text, arguments),
            !prepared.unusable.contains(statement.number)
        else {
            let answer = connection.query(PostgresQuery(unsafeSQL: text, binds: bindings), logger: logger).map {
                StatementAnswer(rows: $0.rows, changed: $0.metadata.rows ?? 0)
            }
            return SentStatement(answer: answer, sql: text, named: false)
        }
        if prepared.ready.contains(statement.number) {
            return SentStatement(
                answer: sendNamed(statement.type, bindings, prepared.executor), sql: text, named: true)
        }
        // A failure sent ahead is thrown before the preparation, which it would also fail.
        roundTrips.add()
        try collectAnswers(counted: true)
        do {
            let first = try answer(
                SentStatement(answer: sendNamed(statement.type, bindings, prepared.executor), sql: text, named: true))
            prepared.prepared(statement.number)
            return SentStatement(answer: connection.eventLoop.makeSucceededFuture(first), sql: text, named: true)
        } catch {
            prepared.failed(statement.number)
            throw error
        }
    }

    /// Runs statement `Number` through PostgresNIO's prepared statements, whose `execute` is
    /// async. The task starts here (`Task.immediate`) and its first step is queued, from this
    /// thread, on the connection's event loop (`EventLoopTaskExecutor`), where it writes the
    /// statement to the channel: in order with the statements sent before and after it.
    private func sendNamed<Number: StatementNumber>(
        _: Number.Type, _ bindings: PostgresBindings, _ executor: EventLoopTaskExecutor
    ) -> EventLoopFuture<StatementAnswer> {
        let promise = connection.eventLoop.makePromise(of: StatementAnswer.self)
        let connection = connection
        let logger = logger
        let work: @Sendable () async -> Void = {
            await Self.execute(Number.self, bindings, on: connection, logger: logger, promise)
        }
        Task.immediate(executorPreference: executor, operation: work)
        return promise.futureResult
    }

    /// The statement's rows, all of them, as its answer: a write's count is its rows
    /// (`RETURNING`).
    private static func execute<Number: StatementNumber>(
        _: Number.Type, _ bindings: PostgresBindings, on connection: PostgresConnection, logger: Logger,
        _ promise: EventLoopPromise<StatementAnswer>
    ) async {
        do {
            var rows: [PostgresRow] = []
            for try await row in try await connection.execute(NamedStatement<Number>(bindings: bindings), logger: logger) {
                rows.append(row)
            }
            promise.succeed(StatementAnswer(rows: rows, changed: rows.count))
        } catch {
            promise.fail(error)
        }
    }
}
