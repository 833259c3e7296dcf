import Foundation
import GRDB
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// The store opens its PostgreSQL sockets itself (`UnaskedReadCompleteFilter` sits on them)
/// and hands them to PostgresNIO, which must still negotiate TLS on them when the database's
/// URL asks for it (`sslmode=require`), and not when it says `disable`: checked on the
/// server's side (`pg_stat_ssl`), on a server of the test's own that takes both.
@Suite(.enabled(if: TestPostgres.requested, "PostgreSQL over TLS"))
struct PostgresTLSTests {
    static let insert = "INSERT INTO device (id, format, first_seen_at, battery, signal) VALUES (?, ?, ?, ?, ?)"

    @Test func theStoreSpeaksTLSWhenItsURLAsksForIt() throws {
        let server = try TestPostgres.startWithTLS(try TestCertificates())
        defer { server.shutdown() }
        for (index, mode) in ["require", "disable"].enumerated() {
            let store = try Store(postgres: try PostgresLocation(url: server.url + "?sslmode=\(mode)"))
            try store.durableWrite { db in
                try db.cachedStatement(sql: Self.insert).execute(arguments: ["det-\(index)", "native", 1.0, 80, -70])
            }
            let encrypted = try store.read { db in
                try Bool.fetchOne(db, sql: "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            }
            #expect(encrypted == (mode == "require"), "sslmode=\(mode)")
            #expect(try store.devices().count == index + 1)
        }
    }
}
