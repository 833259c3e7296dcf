import GRDBSQLite

extension Store {
    /// Bytes SQLite holds through its allocator in this process: page caches, statements,
    /// schema. It grows with the database until each connection's cache is full, so a soak can
    /// tell it from the daemon's own memory.
    public static var sqliteMemoryInUse: Int { Int(sqlite3_memory_used()) }
}
