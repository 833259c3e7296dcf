import Foundation
import SmokeGateCore
import SmokeGateStore
import Testing

/// Rule 16 in the device table: strangers are forgotten a week after they were last heard,
/// unless an incident of theirs is still open; registered detectors never are.
@Suite struct StrangerStoreTests {
    @Test func strangersNotHeardSinceTheCutoffGoUnlessTheyHaveAnOpenIncident() throws {
        var desk = try GroupDesk()
        defer { desk.discard() }
        try desk.event(.heartbeat, from: "forgotten", at: 0)
        try desk.event(.alarm, from: "burning", at: 0)
        try desk.event(.heartbeat, from: "a-01", at: 0)
        try desk.event(.heartbeat, from: "recent", at: 8 * 86_400)
        let removed = try desk.store.forgetStrangers(notHeardSince: desk.date(7 * 86_400))
        #expect(removed == 1)
        let left = Set(try desk.store.devices().map(\.id))
        #expect(!left.contains("forgotten"))
        #expect(left.isSuperset(of: ["burning", "a-01", "recent"]), "an open fire keeps its stranger listed")
        #expect(try desk.store.strangerCount() == 2)
    }
}
