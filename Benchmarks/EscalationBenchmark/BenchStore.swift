import ArgumentParser

/// The engine under the daemon in a run: SQLite (the file beside it) or PostgreSQL (a server
/// the benchmark starts with `initdb`, fsync on).
enum BenchStore: String, CaseIterable, ExpressibleByArgument, Sendable {
    case sqlite
    case postgres

    var title: String { self == .sqlite ? "SQLite" : "PostgreSQL" }
}
