import Foundation
import GRDB
import RulebookScenarios
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// Upgrading a database whose incidents a silence already hides.
@Suite(.enabled(if: !TestPostgres.requested, "upgrades a SQLite file of an older schema"))
struct FieldRulesMigrationTests {
    @Test func anIncidentHiddenBeforeTheUpgradeIsReleasedWhenItsSilenceEnds() throws {
        let path = try OlderDatabase.make(
            prefix: "upgrade", upTo: "v6-registry-fingerprint",
            rows: """
                INSERT INTO silence (target_kind, target, reason, by, starts_at, ends_at) VALUES ('device', 'det-1', '检修', '王', 0, 1795000600);
                INSERT INTO device (id, condition) VALUES ('det-1', 1);
                INSERT INTO incident (kind, state, device_id, address, venue, venue_type, opened_at, ladder, called, shielded)
                VALUES ('fire', 'open', 'det-1', '3栋101', '3栋', 'residential', 1795000000, '', 0,
                        'silence 1 (device det-1: 检修) until 2026-11-18T11:16:40.000Z');
                """)
        let store = try Store(path: path)
        #expect(try store.incident(1)?.silenceID == 1 && store.incident(1)?.members == ["det-1"])
        let desk = IncidentDesk(ladder: .standard, directory: TestStreet.directory, topicPrefix: "smokegate/notify")
        let effects = try store.releaseSilences(at: Date(timeIntervalSince1970: 1_795_000_601), desk: desk)
        #expect(effects.notifications == 1, "det-1 still senses smoke: its grid is called")
        #expect(try store.incident(1)?.isSilenced == false)
    }
}
