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
}

extension SQLConnection {
    public func execute(sql: String, arguments: SQLArguments = []) throws {
        try execute(sql, arguments, cached: false)
    }

    public func cachedStatement(sql: String) throws -> SQLStatement {
        SQLStatement(connection: self, sql: sql)
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
