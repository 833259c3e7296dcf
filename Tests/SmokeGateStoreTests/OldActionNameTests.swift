import Foundation
import GRDB
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// One scenario on either engine: a line written under an old name by a gateway of the
/// previous version (both share one PostgreSQL database during an upgrade) still reads.
@Suite struct OldActionNameTests {
    @Test func aLineUnderAnOldNameReadsUnderItsNewOne() throws {
        let database = try TestDatabase.make(prefix: "old-names")
        let store = try database.open()
        try store.patch { db in
            try db.execute(
                sql: """
                    INSERT INTO incident (kind, state, device_id, address, venue, venue_type, opened_at, ladder, called)
                    VALUES ('offline', 'open', 'det-2', '4栋', '4栋', 'residential', 1795000000, '', 0)
                    """)
            try db.execute(
                sql:
                    "INSERT INTO timeline (incident_id, at, action) VALUES (1, 1795000000, 'silent'), (1, 1795000001, 'shielded')"
            )
        }
        #expect(try store.timeline(of: 1).map(\.action) == [.offline, .silenced])
    }

    @Test func everyNameTodayReadsAsItself() {
        for action in TimelineEntry.Action.allCases { #expect(TimelineEntry.Action(stored: action.rawValue) == action) }
        #expect(TimelineEntry.Action(stored: "no-such-action") == nil)
    }
}
