import Foundation
import GRDB
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// A database written before the vocabulary was settled: incidents a silence "shielded",
/// timeline lines that say `shielded` and `silent`. After the upgrade they read as `silenced`
/// and `offline`, and nothing is lost.
@Suite(.enabled(if: !TestPostgres.requested, "upgrades a SQLite file of an older schema"))
struct VocabularyMigrationTests {
    @Test func oldRowsReadUnderTheirNewNames() throws {
        let path = try OlderDatabase.make(
            prefix: "vocabulary", upTo: "v12-cluster",
            rows: """
                INSERT INTO incident (kind, state, device_id, address, venue, venue_type, opened_at, ladder, called, shielded)
                VALUES ('fire', 'open', 'det-1', '3栋101', '3栋', 'residential', 1795000000, '', 0,
                        'silence 1 (device det-1: 检修) until 2026-11-18T11:16:40.000Z');
                INSERT INTO timeline (incident_id, at, action, note) VALUES
                  (1, 1795000000, 'opened', 'smoke'), (1, 1795000000, 'shielded', 'recorded, nobody called'),
                  (1, 1795000300, 'silent', 'not heard past offline_after');
                """)

        let store = try Store(path: path)
        #expect(try store.incident(1)?.silencedBy?.contains("检修") == true)
        #expect(try store.timeline(of: 1).map(\.action) == [.opened, .silenced, .offline])
        let stored = try store.inspect { db in try String.fetchAll(db, sql: "SELECT action FROM timeline ORDER BY id") }
        #expect(stored == ["opened", "silenced", "offline"], "the stored names are migrated, not only read")
    }
}
