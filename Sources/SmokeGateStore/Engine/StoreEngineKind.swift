/// Which engine holds the store.
public enum StoreEngineKind: String, Sendable {
    case sqlite = "SQLite"
    case postgres = "PostgreSQL"
}
