import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One server per test process, and an empty database per test on it: starting a cluster
/// takes about a second, creating a database a few milliseconds.
extension TestPostgres {
    private static let sharedServer = Mutex<TestPostgres?>(nil)

    /// Whether this test run asked for PostgreSQL (`SMOKEGATE_TEST_STORE=postgres`) instead of SQLite.
    public static var requested: Bool { ProcessInfo.processInfo.environment["SMOKEGATE_TEST_STORE"] == "postgres" }

    /// The test process's server, started by the first caller (without a password, without
    /// fsync: the suites on it test rules, not the disk) and shut
    /// down when the process exits, so none outlives the run. Give each test its own database
    /// with `freshDatabase(named:)`; stop or kill only servers of your own (`start()`).
    public static func shared() throws -> TestPostgres {
        try sharedServer.withLock { server in
            if let server { return server }
            let started = try start(durable: false)
            server = started
            atexit { TestPostgres.shutdownShared() }
            return started
        }
    }

    private static func shutdownShared() {
        let server = sharedServer.withLock { server in
            defer { server = nil }
            return server
        }
        server?.shutdown()
    }

    /// Creates an empty database named after `named` (a test's name, say) plus a unique suffix,
    /// and returns its URL.
    public func freshDatabase(named: String = "test") throws -> String {
        let base = String(named.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }.prefix(40))
        let name = "\(base)_\(UUID().uuidString.prefix(8).lowercased())"
        try createDatabase(name)
        return url(database: name)
    }
}
