import Foundation
import GRDB
import SmokeGateCore

/// The engine a store runs on.
enum StoreEngine: Sendable {
    case sqlite(DatabasePool)
    case postgres(PostgresEngine)

    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        switch self {
        case .sqlite(let pool): try pool.read { try body(SQLiteConnection($0)) }
        case .postgres(let postgres): try postgres.read(body)
        }
    }

    func write<T>(durable: Bool, _ body: (any SQLConnection) throws -> T) throws -> T {
        switch self {
        case .sqlite(let pool) where durable:
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
                var result: T?
                try db.inTransaction {
                    result = try body(SQLiteConnection(db))
                    return .commit
                }
                return result!
            }
        case .sqlite(let pool): try pool.write { try body(SQLiteConnection($0)) }
        case .postgres(let postgres): try postgres.write(durable: durable, body)
        }
    }

    func close() {
        if case .postgres(let postgres) = self { postgres.close() }
    }
}
