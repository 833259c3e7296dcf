import PostgresNIO

/// What PostgreSQL or the connection to it said went wrong, readable: PostgresNIO's own
/// error hides its details from `description` (they may quote data), and a gateway's log and
/// the operator's console need them, with the statement that failed.
public struct PostgresFailure: Error, CustomStringConvertible {
    /// The server's SQLSTATE (`23505`: a unique key), nil when the connection failed.
    public let sqlState: String?
    public let message: String
    public let sql: String
    /// A statement kept prepared that the server could no longer run as prepared: it is
    /// prepared again on the next try, so the failure passes although the server calls it a
    /// feature not supported (`PostgresSQLConnection.answer`).
    var preparedStatementLost = false

    /// The connection, not a statement, failed (unreachable, no answer in time): it may pass.
    init(connection message: String, sql: String = "") {
        sqlState = nil
        self.message = message
        self.sql = sql
    }

    init(_ error: PSQLError, sql: String) {
        sqlState = error.serverInfo?[.sqlState]
        message =
            error.serverInfo.map { info in
                [info[.message], info[.detail], info[.hint]].compactMap { $0 }.joined(separator: "; ")
            } ?? "connection: \(error.code)"
        self.sql = sql
    }

    /// Whether the server refused the statement itself (its syntax, a constraint, a type): the
    /// same on every attempt. Anything else (a connection lost, a server shutting down, a
    /// serialization failure) may pass.
    public var isPermanent: Bool {
        guard let sqlState, !preparedStatementLost else { return false }
        return ["42", "22", "23", "0A", "XX"].contains(String(sqlState.prefix(2)))
    }

    /// Whether the COMMIT was sent and no answer came: the transaction may have committed.
    public var outcomeUnknown: Bool { sqlState == nil && sql == "COMMIT" }

    public var description: String {
        "PostgreSQL \(sqlState.map { "error \($0)" } ?? "connection failed"): \(message)"
            + (sql.isEmpty ? "" : " - while executing `\(sql)`")
    }
}
