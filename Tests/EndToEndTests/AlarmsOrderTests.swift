import Foundation
import SmokeGateCore
import SmokeGateTestSupport
import Testing

/// `smokegate alarms` with far more maintenance jobs open than it lists: a fire opened after
/// 1,005 low batteries is the first row and the first JSON object, the list says what it
/// left out and how to see it, and `--kind` picks one kind.
@Suite(.serialized) struct AlarmsOrderTests {
    static let tiredDetectors = ConsoleHistory.tiredDetectors

    static func street() throws -> ConsoleHistory { try ConsoleHistory.street(newFireAgo: 5 * 60) }

    func rows(_ table: String) -> [Substring] {
        table.split(separator: "\n").dropFirst().prefix { !$0.contains("unresolved") }.map { $0 }
    }

    @Test func theNewFireIsFirstAndTheCutIsSaid() async throws {
        let history = try Self.street()
        let table = try await BinaryProcess.run("smokegate", ["alarms"] + history.config)
        #expect(table.status == 0, "\(table.stderr)")
        let listed = rows(table.stdout)
        #expect(listed.count == 1_000, "the default limit")
        #expect(listed[0].contains("fire") && listed[0].contains("det-1") && listed[0].contains("open"), "\(listed[0])")
        #expect(listed[1].contains("860000000000001") && listed[1].contains("acknowledged"), "\(listed[1])")
        #expect(listed[2].contains("low_battery") && listed[2].contains("lb-1004"), "maintenance newest first: \(listed[2])")
        #expect(table.stdout.contains("1,007 unresolved: 2 fire (1 not acknowledged) · 1,005 low_battery\n"), "\(table.stdout)")
        #expect(
            table.stdout.contains(
                "… 7 more not shown (none of them fires): smokegate alarms --limit 1007 lists them all, or with --kind low_battery only that kind"
            ), "\(table.stdout.suffix(400))")

        let json = try await BinaryProcess.run("smokegate", ["alarms", "--json"] + history.config)
        #expect(json.status == 0, "\(json.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 1_000)
        #expect(objects[0]["kind"] as? String == "fire" && objects[0]["device"] as? String == "det-1")
        #expect(objects[0]["state"] as? String == "open" && objects[1]["state"] as? String == "acknowledged")
        for field in [
            "id", "kind", "state", "device", "grid", "community", "street", "opened_at", "tier", "acked_by", "acked_at",
            "resolved_at", "address", "venue", "tiers_called", "next_tier", "next_call_at", "resolved_by", "cause", "silenced_by",
        ] {
            #expect(objects[0][field] != nil, "alarms --json lacks \(field)")
        }
        #expect(json.stderr.contains("cut at --limit 1000: 7 more not shown (none of them fires); smokegate alarms --limit 1007"))

        let one = try await BinaryProcess.run("smokegate", ["alarms", "--json", "--limit", "1"] + history.config)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [[String: Any]])
        #expect(first.count == 1 && first[0]["device"] as? String == "det-1")
        #expect(one.stderr.contains("1,006 more not shown (1 of them fires)"), "\(one.stderr)")

        let two = try await BinaryProcess.run("smokegate", ["alarms", "--limit", "2"] + history.config)
        #expect(rows(two.stdout).count == 2 && rows(two.stdout).allSatisfy { $0.contains("fire") }, "\(two.stdout)")
        #expect(two.stdout.contains("… 1,005 more not shown (none of them fires)"), "\(two.stdout)")
    }

    @Test func kindPicksOneKindAndIsChecked() async throws {
        let history = try Self.street()
        let fires = try await BinaryProcess.run("smokegate", ["alarms", "--kind", "fire", "--json"] + history.config)
        #expect(fires.status == 0 && fires.stderr.isEmpty, "\(fires.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(fires.stdout.utf8)) as? [[String: Any]])
        #expect(objects.map { $0["device"] as? String } == ["det-1", "860000000000001"])

        let table = try await BinaryProcess.run("smokegate", ["alarms", "--kind", "fire"] + history.config)
        #expect(rows(table.stdout).count == 2 && !table.stdout.contains("more not shown"), "\(table.stdout)")
        #expect(table.stdout.contains("2 unresolved: 2 fire (1 not acknowledged)"), "\(table.stdout)")

        let batteries = try await BinaryProcess.run(
            "smokegate", ["alarms", "--kind", "low_battery", "--limit", "5"] + history.config)
        #expect(rows(batteries.stdout).count == 5 && rows(batteries.stdout).allSatisfy { $0.contains("low_battery") })
        #expect(
            batteries.stdout.contains(
                "… 1,000 more not shown (none of them fires): smokegate alarms --kind low_battery --limit 1005"),
            "\(batteries.stdout)")

        let wrong = try await BinaryProcess.run("smokegate", ["alarms", "--kind", "fires"] + history.config)
        #expect(wrong.status == 64 && wrong.stdout.isEmpty, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("--kind must be one of fire, fault, tamper, low_battery, offline; got 'fires'"))
    }

    @Test func resolvedIncidentsFollowWithAll() async throws {
        let history = try Self.street()
        let restaurant = try history.incident(of: "860000000000001")
        _ = try history.store.resolve(restaurant, by: "王伟", cause: "cooking", note: nil, at: Date(), desk: history.desk)
        let json = try await BinaryProcess.run("smokegate", ["alarms", "--all", "--json", "--limit", "2000"] + history.config)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 2 + Self.tiredDetectors && json.stderr.isEmpty, "\(json.stderr)")
        #expect(objects.first?["device"] as? String == "det-1" && objects.last?["state"] as? String == "resolved")

        let cut = try await BinaryProcess.run("smokegate", ["alarms", "--all", "--limit", "3"] + history.config)
        #expect(cut.stdout.contains("1,006 unresolved: 1 fire (1 not acknowledged) · 1,005 low_battery · 1 resolved"))
        #expect(
            cut.stdout.contains("… 1,004 more not shown (none of them unresolved fires): smokegate alarms --all --limit 1007"))
    }
}
