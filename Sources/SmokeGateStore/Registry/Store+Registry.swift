import Foundation
import GRDB
import GRDBSQLite
import SmokeGateCore

/// The registry written into `device` and the live states read back: the two things a start
/// does to the database for every detector, so both go through SQLite's C API.
extension Store {
    /// Makes the `device` table agree with the registry: registry fields for every listed
    /// detector, and `registered` cleared for detectors that were heard but are not listed.
    /// A restart on the registry last synced compares its fingerprint and writes nothing.
    public func syncRegistry(_ devices: DeviceRegistry) throws {
        guard let changes = try registryChanges(devices) else { return }
        try write(changes, of: devices, rows: 0..<changes.rowCount)
    }

    /// What `device` needs to agree with `devices`, or nil when it is the registry last
    /// written whole (its fingerprint is the one kept in `registry_sync`). Otherwise the table
    /// is read once and compared with the registry byte for byte.
    public func registryChanges(_ devices: DeviceRegistry) throws -> RegistryChanges? {
        let fingerprint = devices.fingerprint
        return try read { db in
            guard try String.fetchOne(db, sql: "SELECT fingerprint FROM registry_sync") != fingerprint else { return nil }
            let differences = try RegistryDifferences(devices, in: db)
            return RegistryChanges(fingerprint: fingerprint, changed: differences.changed, unlisted: differences.unlisted)
        }
    }

    /// Writes `rows` of `changes` (numbered as in `RegistryChanges`) in one transaction, bound
    /// straight from the registry's packed columns. The part that reaches the last row records
    /// the fingerprint; every other part clears it, so a start that finds the table half
    /// written (a stop or a crash between parts) compares it again rather than trusting it.
    public func write(_ changes: RegistryChanges, of devices: DeviceRegistry, rows: Range<Int>) throws {
        try write { db in
            let upsert = try db.cachedStatement(sql: Self.registryUpsert)
            let unregister = try db.cachedStatement(sql: "UPDATE device SET registered = 0 WHERE id = ?")
            let sqlite = try (db as? SQLiteConnection).map { try $0.database.cachedStatement(sql: Self.registryUpsert) }
            for index in rows {
                if index < changes.changed.count {
                    if let sqlite {
                        try Self.bindAndStep(
                            changes.changed[index], of: devices, sqlite.sqliteStatement, (db as! SQLiteConnection).database)
                    } else {
                        var fields: SQLArguments = []
                        devices.forEachUTF8Field(at: changes.changed[index]) { _, text in
                            fields.append(String(decoding: text, as: UTF8.self))
                        }
                        try upsert.execute(arguments: fields)
                    }
                } else {
                    try unregister.execute(arguments: [changes.unlisted[index - changes.changed.count]])
                }
            }
            guard rows.upperBound >= changes.rowCount else {
                return try db.execute(sql: "DELETE FROM registry_sync")
            }
            try db.execute(
                sql: """
                    INSERT INTO registry_sync (id, fingerprint, devices, synced_at) VALUES (1, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET fingerprint = excluded.fingerprint, devices = excluded.devices,
                      synced_at = excluded.synced_at
                    """, arguments: [changes.fingerprint, devices.count, Date().epoch])
        }
    }

    static let registryUpsert = """
        INSERT INTO device (id, grid, address, venue, venue_type, profile, registered)
        VALUES (?, ?, ?, ?, ?, ?, 1)
        ON CONFLICT(id) DO UPDATE SET grid = excluded.grid, address = excluded.address, venue = excluded.venue,
          venue_type = excluded.venue_type, profile = excluded.profile, registered = 1
        """

    /// SQLite: binds the registry's packed fields straight into the statement, no strings made.
    private static func bindAndStep(_ position: Int, of devices: DeviceRegistry, _ row: SQLiteStatement, _ db: Database) throws {
        devices.forEachUTF8Field(at: position) { field, text in
            // An empty buffer may have no address, which SQLite would bind as NULL.
            _ =
                text.baseAddress.map { sqlite3_bind_text(row, Int32(field + 1), $0, Int32(text.count), Self.transient) }
                ?? sqlite3_bind_text(row, Int32(field + 1), "", 0, Self.transient)
        }
        try stepToEnd(row, db)
    }

    /// Tells SQLite to copy bound text before the call returns.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Runs a bound statement that returns no rows, then readies it for the next bindings.
    static func stepToEnd(_ statement: SQLiteStatement, _ db: Database) throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else { throw failure(code, db) }
    }

    /// A failed step as GRDB reports errors, with SQLite's own message.
    static func failure(_ code: Int32, _ db: Database) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }

    static let liveStateQuery =
        "SELECT id, format, last_seen_at, battery, signal, condition FROM device WHERE last_seen_at IS NOT NULL"

    /// The last known state of every detector ever heard, to seed the daemon's memory.
    public func loadLiveStates() throws -> [String: DeviceLiveState] {
        var states: [String: DeviceLiveState] = [:]
        try forEachLiveState { states[$0.deviceID] = $0 }
        return states
    }

    /// Calls `body` with the last known state of every detector ever heard, one row at a time:
    /// a million states are never held at once. The rows are stepped through SQLite's C API
    /// directly: decoding them through `Row` took most of the two seconds a restart spent here.
    public func forEachLiveState(_ body: (DeviceLiveState) throws -> Void) throws {
        try read { db in
            guard let sqlite = db as? SQLiteConnection else {
                for row in try Row.fetchAll(db, sql: Self.liveStateQuery) {
                    try body(
                        DeviceLiveState(
                            deviceID: row["id"], format: PayloadFormat(rawValue: row["format"] ?? "") ?? .native,
                            lastSeenAt: row["last_seen_at"] ?? .distantPast,
                            reading: DeviceReading(battery: row["battery"], signal: row["signal"]),
                            condition: DeviceCondition(rawValue: row["condition"] ?? 0)))
                }
                return
            }
            let db = sqlite.database
            let statement = try db.makeStatement(sql: Self.liveStateQuery)
            let row = statement.sqliteStatement
            func text(_ column: Int32) -> String {
                sqlite3_column_text(row, column).map { String(cString: $0) } ?? ""
            }
            /// Written as seconds since 1970; any other form is left to GRDB's date decoding.
            func date(_ column: Int32) -> Date {
                switch sqlite3_column_type(row, column) {
                case SQLITE_FLOAT, SQLITE_INTEGER: Date(timeIntervalSince1970: sqlite3_column_double(row, column))
                default: Date.fromDatabaseValue(DatabaseValue(sqliteStatement: row, index: column)) ?? .distantPast
                }
            }
            func integer(_ column: Int32) -> Int? {
                sqlite3_column_type(row, column) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(row, column))
            }
            while true {
                let code = sqlite3_step(row)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else { throw Self.failure(code, db) }
                try body(
                    DeviceLiveState(
                        deviceID: text(0), format: PayloadFormat(rawValue: text(1)) ?? .native,
                        lastSeenAt: date(2),
                        reading: DeviceReading(battery: integer(3), signal: integer(4)),
                        condition: DeviceCondition(rawValue: integer(5) ?? 0)))
            }
        }
    }
}
