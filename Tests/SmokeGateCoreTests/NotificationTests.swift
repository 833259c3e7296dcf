import Foundation
import RulebookScenarios
import SmokeGateCore
import Testing

/// What responders' systems receive: the contract's fields, on `{prefix}/{tier}/{unit}`.
@Suite struct NotificationTests {
    let composer = NotificationComposer(directory: TestStreet.directory, topicPrefix: "smokegate/notify")
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    private func object(_ notification: NotificationMessage) throws -> JSONObject {
        try #require(try JSONParser.parse(Array(notification.payload.utf8)).objectValue)
    }

    @Test func aCallCarriesEveryContractFieldWithContactsAndEvacuation() throws {
        let (incident, _) = Incident.open(
            .fire, site: TestStreet.directory.site(of: "det-1"), ladder: .standard, at: now, reason: "smoke")
        var stored = incident
        stored.id = 42
        let messages = composer.compose(
            .notify, tier: .community, reason: "not acknowledged 3m after it opened", incident: stored, at: now
        ) {
            "n-1"
        }
        #expect(messages.map(\.topic) == ["smokegate/notify/community/c1"])
        let body = try object(messages[0])
        for field in [
            "notification", "action", "incident", "kind", "tier", "unit", "device", "address", "venue", "grid", "community",
            "street", "opened_at", "reason", "contacts", "evacuation",
        ] {
            #expect(body[field] != nil, "missing \(field)")
        }
        #expect(body["notification"] == .string("n-1") && body["incident"] == .number(42) && body["tier"] == .string("community"))
        #expect(body["unit"] == .string("c1") && body["grid"] == .string("g1") && body["street"] == .string("yongquan"))
        #expect(body["opened_at"] == .string(RFC3339.format(now)))
        #expect(
            body["contacts"]
                == .array([
                    .object(
                        JSONObject([("id", .string("c1-duty")), ("name", .string("c1-duty")), ("phone", .string("13800000000"))]))
                ]))
        let evacuation = try #require(body["evacuation"]?.objectValue)
        #expect(evacuation["shelter"] == .string("广场") && evacuation["rescue_route"] == .string("北门"))
    }

    @Test func anUnplacedDetectorReachesEveryStreetAndHasNullWhereItIsUnknown() throws {
        let (incident, _) = Incident.open(
            .fire, site: TestStreet.directory.site(of: "stray"), ladder: .standard, at: now, reason: "smoke")
        var ids = 0
        let messages = composer.compose(.notify, tier: .street, reason: "smoke", incident: incident, at: now) {
            ids += 1
            return "n-\(ids)"
        }
        #expect(messages.map(\.topic) == ["smokegate/notify/street/yongquan"])
        let body = try object(messages[0])
        #expect(body["grid"] == .null && body["evacuation"] == .null && body["device"] == .string("stray"))
        #expect(composer.compose(.notify, tier: .grid, reason: "", incident: incident, at: now) { "x" }.isEmpty)
    }
}
