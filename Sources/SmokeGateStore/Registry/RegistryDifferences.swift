import Foundation
import GRDB
import GRDBSQLite
import SmokeGateCore

/// What `device` holds that the registry says otherwise: the registry rows it lacks or holds
/// with other fields, and the detectors it still marks registered that the registry dropped.
/// The table is stepped through SQLite's C API and compared byte for byte, so a million
/// unchanged rows build no strings but their ids.
struct RegistryDifferences {
    /// Registry positions to write, in table order and then registry order.
    private(set) var changed: [Int] = []
    private(set) var unlisted: [String] = []

    init(_ devices: DeviceRegistry, in db: any SQLConnection) throws {
        if let sqlite = db as? SQLiteConnection {
            try self.init(devices, stepping: sqlite.database)
        } else {
            try self.init(devices, readingRowsOf: db)
        }
    }

    /// Any engine: the rows read whole and compared as text.
    private init(_ devices: DeviceRegistry, readingRowsOf db: any SQLConnection) throws {
        var listed = [Bool](repeating: false, count: devices.count)
        for row in try Row.fetchAll(db, sql: "SELECT id, grid, address, venue, venue_type, profile, registered FROM device") {
            let id: String = row["id"]
            let registered: Bool = row["registered"]
            guard let position = devices.position(of: id) else {
                if registered { unlisted.append(id) }
                continue
            }
            listed[position] = true
            var same = registered
            devices.forEachUTF8Field(at: position) { field, text in
                guard same, field > 0 else { return }
                let stored: String? = row[Self.fieldColumns[field]]
                same = stored.map { $0.utf8.elementsEqual(text) } ?? false
            }
            if !same { changed.append(position) }
        }
        changed += listed.indices.lazy.filter { !listed[$0] }
    }

    /// The columns of the registry's fields, in `forEachUTF8Field`'s order.
    static let fieldColumns = ["id", "grid", "address", "venue", "venue_type", "profile"]

    /// SQLite: the table stepped through the C API, compared byte for byte.
    private init(_ devices: DeviceRegistry, stepping db: Database) throws {
        var listed = [Bool](repeating: false, count: devices.count)
        let statement = try db.makeStatement(
            sql: "SELECT id, grid, address, venue, venue_type, profile, registered FROM device")
        let row = statement.sqliteStatement
        while true {
            let code = sqlite3_step(row)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw Store.failure(code, db) }
            guard let text = sqlite3_column_text(row, 0) else { continue }
            let id = String(cString: text)
            let registered = sqlite3_column_int(row, 6) != 0
            guard let position = devices.position(of: id) else {
                if registered { unlisted.append(id) }
                continue
            }
            listed[position] = true
            if !registered || !Self.holdsSameFields(row, as: devices, at: position) { changed.append(position) }
        }
        changed += listed.indices.lazy.filter { !listed[$0] }
    }

    /// Whether the row's grid, address, venue, venue type and profile are the registry's;
    /// a NULL differs from every text, the empty one included.
    private static func holdsSameFields(_ row: SQLiteStatement, as devices: DeviceRegistry, at position: Int) -> Bool {
        var same = true
        devices.forEachUTF8Field(at: position) { field, text in
            guard same, field > 0 else { return }
            let column = Int32(field)
            guard let stored = sqlite3_column_text(row, column) else {
                same = false
                return
            }
            let count = Int(sqlite3_column_bytes(row, column))
            same = count == text.count && (count == 0 || memcmp(stored, text.baseAddress!, count) == 0)
        }
        return same
    }
}
