import Foundation
import RulebookScenarios
import SmokeGateCore
import Testing

/// Field rule 6: how a unit's maintenance group times and words its messages, as timelines.
@Suite struct DispatchGroupingTests {
    let grouping = DispatchGrouping(wait: 2, interval: 60)
    let t0 = VirtualDesk.start

    func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    func job(_ id: Int64, _ device: String, _ state: IncidentState, kind: IncidentKind = .offline) -> Incident {
        var incident = Incident.open(
            kind, site: TestStreet.directory.site(of: device), ladder: .standard, at: t0, reason: "test"
        ).0
        incident.id = id
        incident.state = state
        return incident
    }

    @Test func aQuietGroupWaitsOnlyToGatherItsFirstMessage() {
        #expect(grouping.due(pending: nil, toldOpen: false, stillOpen: true, lastSent: at(-10), at: at(0)) == at(2))
        // A second change within the wait goes with the first.
        #expect(grouping.due(pending: at(2), toldOpen: false, stillOpen: true, lastSent: nil, at: at(1)) == at(2))
    }

    @Test func updatesOfAGroupAlreadyToldComeAtMostOncePerInterval() {
        // Told at 2 s; more detectors at 10 s: the update waits for 62 s.
        #expect(grouping.due(pending: nil, toldOpen: true, stillOpen: true, lastSent: at(2), at: at(10)) == at(62))
        // Long after the last message: only the wait.
        #expect(grouping.due(pending: nil, toldOpen: true, stillOpen: true, lastSent: at(2), at: at(300)) == at(302))
    }

    @Test func theMessageThatAllHaveReturnedWaitsOnlyToGather() {
        // An update pending at 62 s; the last detector returns at 20 s: say so at 22 s.
        #expect(grouping.due(pending: at(62), toldOpen: true, stillOpen: false, lastSent: at(2), at: at(20)) == at(22))
    }

    @Test func maintenanceIsAlwaysGroupedAPlacedFireNever() {
        let many = { 1_000 }
        #expect(!grouping.groups(job(1, "det-1", .open, kind: .fire), inGroup: { true }, unplacedFiresRecently: many))
        for kind in [IncidentKind.offline, .fault, .tamper, .lowBattery] {
            #expect(grouping.groups(job(1, "det-1", .open, kind: kind), inGroup: { false }, unplacedFiresRecently: { 0 }))
        }
    }

    @Test func strangersFiresAreGroupedOnlyInAFlood() {
        let fire = job(1, TestStreet.stranger, .open, kind: .fire)
        #expect(!grouping.groups(fire, inGroup: { false }, unplacedFiresRecently: { DispatchGrouping.floodThreshold }))
        #expect(grouping.groups(fire, inGroup: { false }, unplacedFiresRecently: { DispatchGrouping.floodThreshold + 1 }))
        #expect(grouping.groups(fire, inGroup: { true }, unplacedFiresRecently: { 1 }), "once in a group, its calls stay there")
        #expect(grouping.timing(for: .fire) == DispatchGrouping(wait: 1, interval: 10), "a flood of fires is told fast")
    }

    @Test func aMessageListsWhoIsOutAndWhatChanged() throws {
        let message = try #require(
            GroupMessage(
                members: [
                    GroupMember(incident: job(3, "det-3", .open), told: nil),
                    GroupMember(incident: job(1, "det-1", .resolved), told: .open),
                    GroupMember(incident: job(2, "det-2", .acknowledged), told: .open),
                ]))
        #expect(message.action == .notify)
        #expect(message.lead.id == 2, "the oldest still out")
        #expect(message.out.map(\.id) == [2, 3])
        #expect(message.added.map(\.id) == [3] && message.returned.map(\.id) == [1] && message.acknowledged.map(\.id) == [2])
        #expect(message.reason == "2 detectors not heard from (1 new, 1 back, 1 acknowledged)")
    }

    @Test func whenAllHaveReturnedTheMessageResolves() throws {
        let message = try #require(
            GroupMessage(
                members: [
                    GroupMember(incident: job(1, "det-1", .resolved, kind: .fault), told: .open),
                    GroupMember(incident: job(2, "det-2", .resolved, kind: .fault), told: .acknowledged),
                ]))
        #expect(message.action == .resolve && message.lead.id == 1)
        #expect(message.reason == "all 2 detectors reporting a fault are back (2 back)")
    }

    @Test func aJobThatCameAndWentBeforeAnyMessageIsNoNews() {
        #expect(GroupMessage(members: [GroupMember(incident: job(1, "det-1", .resolved), told: nil)]) == nil)
        #expect(GroupMessage(members: [GroupMember(incident: job(1, "det-1", .open), told: .open)]) == nil)
    }

    @Test func aGroupedNotificationCarriesTheContractFieldsOfItsLeadAndTheList() throws {
        let composer = NotificationComposer(directory: TestStreet.directory, topicPrefix: "smokegate/notify")
        let message = try #require(
            GroupMessage(
                members: [
                    GroupMember(incident: job(7, "det-1", .open), told: nil),
                    GroupMember(incident: job(8, "det-4", .open), told: nil),
                ]))
        let unit = try #require(TestStreet.directory.units(.grid, for: message.lead.site).first)
        let sent = composer.compose(message, group: GroupIdentity(id: 5, revision: 1), unit: unit, at: at(2), id: "n-1")
        #expect(sent.topic == "smokegate/notify/grid/g1")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(sent.payload.utf8)) as? [String: Any])
        #expect(json["notification"] as? String == "n-1" && json["action"] as? String == "notify")
        #expect(json["incident"] as? Int == 7 && json["device"] as? String == "det-1" && json["kind"] as? String == "offline")
        #expect(json["tier"] as? String == "grid" && json["unit"] as? String == "g1" && json["grid"] as? String == "g1")
        let group = try #require(json["group"] as? [String: Any])
        #expect(group["id"] as? Int == 5 && group["revision"] as? Int == 1 && group["count"] as? Int == 2)
        #expect((group["detectors"] as? [[String: Any]])?.compactMap { $0["device"] as? String } == ["det-1", "det-4"])
        #expect(group["added"] as? [String] == ["det-1", "det-4"])
    }
}
