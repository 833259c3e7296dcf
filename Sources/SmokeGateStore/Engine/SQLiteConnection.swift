import Foundation
import GRDB

/// A GRDB connection as the store's `SQLConnection`: statements go to GRDB unchanged, cached
/// ones through its statement cache, as the store ran them before it had a second engine.
final class SQLiteConnection: SQLConnection {
    /// GRDB's connection, for the few paths that step SQLite's C API themselves.
    let database: Database

    init(_ database: Database) { self.database = database }

    var engine: StoreEngineKind { .sqlite }

    func execute(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws {
        if cached {
            try database.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments))
        } else {
            try database.execute(sql: sql, arguments: StatementArguments(arguments))
        }
    }

    func fetchRows(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws -> [Row] {
        try Row.fetchAll(statement(sql, cached), arguments: StatementArguments(arguments))
    }

    func fetchRowsTogether(_ queries: [(sql: String, arguments: SQLArguments)]) throws -> [[Row]] {
        try queries.map { try fetchRows($0.sql, $0.arguments, cached: true) }
    }

    func fetchRow(_ sql: String, _ arguments: SQLArguments, cached: Bool) throws -> Row? {
        try Row.fetchOne(statement(sql, cached), arguments: StatementArguments(arguments))
    }

    func fetchValue<Value: DatabaseValueConvertible>(_ type: Value.Type, _ sql: String, _ arguments: SQLArguments, cached: Bool)
        throws -> Value?
    {
        try Value.fetchOne(statement(sql, cached), arguments: StatementArguments(arguments))
    }

    func fetchValues<Value: DatabaseValueConvertible>(_ type: Value.Type, _ sql: String, _ arguments: SQLArguments)
        throws -> [Value]
    {
        try Value.fetchAll(database, sql: sql, arguments: StatementArguments(arguments))
    }

    func tableExists(_ name: String) throws -> Bool { try database.tableExists(name) }

    var changesCount: Int { database.changesCount }

    func lastInsertedRowID() throws -> Int64 { database.lastInsertedRowID }

    /// None: SQLite says an insert's id without a round trip.
    var reservedIDs: ReservedIDs? { nil }

    private func statement(_ sql: String, _ cached: Bool) throws -> Statement {
        cached ? try database.cachedStatement(sql: sql) : try database.makeStatement(sql: sql)
    }
}
