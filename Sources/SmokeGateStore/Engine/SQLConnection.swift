import Foundation
import GRDB

/// Values bound to a statement's `?` placeholders, in order.
public typealias SQLArguments = [(any DatabaseValueConvertible)?]

/// One connection of the store's engine, inside a read or a transaction.
///
/// The store's queries are written once, in the SQL that SQLite and PostgreSQL share, with
/// `?` placeholders; each engine runs them through this (PostgreSQL after `PostgresDialect`
/// has rewritten them). Rows come back as GRDB `Row`s from either engine, so every decoding
/// is written once too: times as Unix seconds, flags as 0 or 1, on both.
public protocol SQLConnection: AnyObject {
    var engine: StoreEngineKind { get }
    /// Runs a statement that returns no rows. `cached`: the engine may keep it prepared.
    func execute(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws
    /// Inserts `rows` (each the values of `columns`, in order) into `table`, `suffix` (an
    /// `ON CONFLICT` clause) after the values, where nothing reads this statement's count or
    /// ids: PostgreSQL's write transaction keeps them back and sends the rows kept for the same
    /// table together, before its next statement of another kind (`KeptInserts`); SQLite
    /// inserts them at once.
    func insertLater(into table: String, columns: String, rows: [SQLArguments], suffix: String) throws
    func fetchRows(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws -> [Row]
    func fetchRow(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws -> Row?
    /// The rows of several queries, each as `fetchRows` (cached) would return them. PostgreSQL
    /// is sent them all before the first answer is waited for: one round trip, not one each.
    func fetchRowsTogether(_ queries: [(sql: String, arguments: SQLArguments)]) throws -> [[Row]]
    /// The first column of the first row, or nil for no row or NULL.
    func fetchValue<Value: DatabaseValueConvertible>(_ type: Value.Type, _ sql: String, _ arguments: SQLArguments, cached: Bool)
        throws -> Value?
    /// The first column of every row (NULLs skipped).
    func fetchValues<Value: DatabaseValueConvertible>(_ type: Value.Type, _ sql: String, _ arguments: SQLArguments)
        throws -> [Value]
    /// Whether the schema has a table `name`.
    func tableExists(_ name: String) throws -> Bool
    /// Rows changed by the last statement.
    var changesCount: Int { get throws }
    /// The id of the row the last `INSERT` added to a table with an automatic id.
    func lastInsertedRowID() throws -> Int64
    /// Ids taken ahead for this write transaction's inserts (PostgreSQL under the write lock);
    /// nil where an insert's id costs no wait (SQLite) or may not be taken ahead.
    var reservedIDs: ReservedIDs? { get }
}

extension SQLConnection {
    /// At once, in one statement.
    func insertLater(into table: String, columns: String, rows: [SQLArguments], suffix: String) throws {
        try insertNow(rows, into: KeptInserts.Target(table: table, columns: columns, suffix: suffix))
    }

    /// `rows` into `target` now, in as few statements as `KeptInserts` cuts them into, each kept
    /// prepared for the few row counts that recur.
    func insertNow(_ rows: [SQLArguments], into target: KeptInserts.Target) throws {
        var kept = KeptInserts()
        kept.keep(rows, for: target)
        for statement in kept.take() {
            try execute(statement.sql, statement.arguments, cached: statement.rows <= 4)
        }
    }

    public func execute(sql: String, arguments: SQLArguments = []) throws {
        try execute(sql, arguments, cached: false)
    }

    public func cachedStatement(sql: String) throws -> SQLStatement {
        SQLStatement(connection: self, sql: sql)
    }

    /// Inserts one row of `values` for `columns` into `table`, and returns its id: an id taken
    /// ahead (`reservedIDs`) when there is one, the insert then kept to go with the others
    /// (`insertLater`); otherwise the server's, with the insert (`RETURNING`).
    func insertReturningID(into table: ReservedIDs.Table, columns: String, _ values: SQLArguments) throws -> Int64 {
        let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
        if let id = reservedIDs?.take(table) {
            try insertLater(into: table.rawValue, columns: "id, \(columns)", rows: [[id] + values], suffix: "")
            return id
        }
        let sql = "INSERT INTO \(table.rawValue) (\(columns)) VALUES (\(placeholders)) RETURNING id"
        guard let id = try fetchValue(Int64.self, sql, values, cached: true) else {
            throw StoreError("the new \(table.rawValue) row's id did not come back")
        }
        return id
    }
}

extension Row {
    public static func fetchAll(_ db: any SQLConnection, sql: String, arguments: SQLArguments = []) throws -> [Row] {
        try db.fetchRows(sql, arguments, cached: false)
    }

    public static func fetchOne(_ db: any SQLConnection, sql: String, arguments: SQLArguments = []) throws -> Row? {
        try db.fetchRow(sql, arguments, cached: false)
    }

    public static func fetchAll(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> [Row] {
        try statement.connection.fetchRows(statement.sql, arguments, cached: true)
    }

    public static func fetchOne(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> Row? {
        try statement.connection.fetchRow(statement.sql, arguments, cached: true)
    }
}

extension DatabaseValueConvertible {
    public static func fetchOne(_ db: any SQLConnection, sql: String, arguments: SQLArguments = []) throws -> Self? {
        try db.fetchValue(Self.self, sql, arguments, cached: false)
    }

    public static func fetchOne(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> Self? {
        try statement.connection.fetchValue(Self.self, statement.sql, arguments, cached: true)
    }

    public static func fetchAll(_ db: any SQLConnection, sql: String, arguments: SQLArguments = []) throws -> [Self] {
        try db.fetchValues(Self.self, sql, arguments)
    }

    public static func fetchAll(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> [Self] {
        try statement.connection.fetchValues(Self.self, statement.sql, arguments)
    }
}
