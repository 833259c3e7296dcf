import Foundation
import GRDB
import RulebookScenarios
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// What answers from phones need of the store: the channel an answer came by on the
/// timeline, and finding the text a reply code was sent in, only from the phone it went to.
@Suite struct AnswerStoreTests {
    let path: String
    let store: Store
    let t0 = Date(timeIntervalSince1970: 1_795_334_400)
    let desk = IncidentDesk(ladder: .standard, directory: TestStreet.directory, topicPrefix: "smokegate/notify")

    init() throws {
        path = try TemporaryFolder.make(prefix: "answers").appendingPathComponent("smokegate.db").path
        store = try TestDatabase(path: path).open()
    }

    func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    func alarm(_ device: String, seq: Int, at seconds: TimeInterval, smoke: Bool = true) throws {
        let event = DetectorEvent(
            deviceID: device, kind: smoke ? .alarm : .alarmClear, format: .native, identity: .stamped("\(seq)"))
        try store.commit(
            [IncomingEvent(event: event, topic: "smokegate/detectors/\(device)/event", payload: "{}", receivedAt: at(seconds))],
            state: DeviceLiveState(
                deviceID: device, format: .native, lastSeenAt: at(seconds), reading: DeviceReading(),
                condition: smoke ? [.smoke] : []),
            desk: desk)
    }

    @Test func anAcknowledgementCarriesItsChannelOnItsOwnLineOnly() throws {
        try alarm("det-1", seq: 1, at: 0)
        try store.acknowledge(1, by: "网格员王", note: nil, at: at(30), desk: desk, channel: "link")
        let timeline = try store.timeline(of: 1)
        #expect(timeline.map(\.action) == [.opened, .called, .acknowledged])
        #expect(timeline.map(\.channel) == [nil, nil, "link"], "the gateway's own lines have no channel")
        #expect(try store.auditedTimeline(of: 1).last?.entry.channel == "link")
    }

    @Test func aResolutionCarriesItsChannelAndTheRelatchedFireDoesNot() throws {
        try alarm("det-1", seq: 1, at: 0)
        try store.resolve(1, by: "李娜", cause: "cooking", note: nil, at: at(60), desk: desk, channel: "sms")
        let resolved = try #require(try store.timeline(of: 1).last)
        #expect(resolved.action == .resolved && resolved.channel == "sms")
        // det-1 still senses smoke: fire 2 opened at once, by the gateway, not by the person.
        #expect(try store.timeline(of: 2).allSatisfy { $0.channel == nil })
    }

    @Test func withoutAChannelNoneIsRecorded() throws {
        try alarm("det-1", seq: 1, at: 0)
        try store.acknowledge(1, by: "王伟", note: nil, at: at(30), desk: desk)
        try store.resolve(1, by: "王伟", cause: "test", note: nil, at: at(40), desk: desk, osUser: "ops")
        #expect(try store.timeline(of: 1).allSatisfy { $0.channel == nil })
    }

    @Test func aReplyCodeFindsItsTextOnlyFromThePhoneItWentTo() throws {
        try alarm("det-1", seq: 1, at: 0)
        let sent = try AnswerTexts.insert(store: store, incident: 1, phone: "13800000002", code: "482913", createdAt: at(0))
        try AnswerTexts.insert(
            store: store, incident: 1, tier: "community", unit: "c1", contactID: "c1-duty", contactName: "社区值班",
            phone: "13800000001", code: "771204", createdAt: at(0))
        let day = Duration.seconds(86_400)
        for spelling in ["13800000002", "+8613800000002", "8613800000002", "+86 138 0000 0002", "0086-138-0000-0002"] {
            let text = try store.text(answerCode: "482913", from: spelling, validFor: day, at: at(60))
            #expect(text?.delivery == sent, "\(spelling)")
            #expect(text?.incident == 1 && text?.tier == .grid && text?.unit == "yq-c01-g01" && text?.person == "网格员")
        }
        #expect(try store.text(answerCode: "482913", from: "13800000001", validFor: day, at: at(60)) == nil, "another phone")
        #expect(try store.text(answerCode: "771204", from: "13800000002", validFor: day, at: at(60)) == nil, "another's code")
        #expect(try store.text(answerCode: "482914", from: "13800000002", validFor: day, at: at(60)) == nil, "no such code")
        #expect(try store.text(answerCode: "", from: "13800000002", validFor: day, at: at(60)) == nil)
        #expect(try store.text(answerCode: "482913", from: "", validFor: day, at: at(60)) == nil)
    }

    @Test func aReplyCodeExpiresWithItsLink() throws {
        try AnswerTexts.insert(store: store, incident: 1, phone: "13800000002", code: "482913", createdAt: at(0))
        let hour = Duration.seconds(3_600)
        #expect(try store.text(answerCode: "482913", from: "13800000002", validFor: hour, at: at(3_599)) != nil)
        #expect(try store.text(answerCode: "482913", from: "13800000002", validFor: hour, at: at(3_600)) == nil)
    }

    @Test func theSameCodeToTheSamePhoneTwiceMeansTheLatestCall() throws {
        try AnswerTexts.insert(store: store, incident: 1, phone: "13800000002", code: "111111", createdAt: at(0))
        let later = try AnswerTexts.insert(
            store: store, incident: 2, contactName: nil, phone: "13800000002", code: "111111", createdAt: at(10))
        let text = try store.text(answerCode: "111111", from: "13800000002", validFor: .seconds(3_600), at: at(20))
        #expect(text?.delivery == later && text?.incident == 2)
        #expect(text?.person == "yq-c01-g01-w", "without a name, the contact's id")
    }

    @Test func aContactsNameComesFromTheCallsDelivery() throws {
        try AnswerTexts.insert(store: store, incident: 3, phone: "13800000002", code: "123456", createdAt: at(0))
        #expect(try store.contactName(incident: 3, unit: "yq-c01-g01", contact: "yq-c01-g01-w") == "网格员")
        #expect(try store.contactName(incident: 4, unit: "yq-c01-g01", contact: "yq-c01-g01-w") == nil)
    }

    @Test func phonesAreComparedByTheirDigitsWithoutChinasCountryCode() {
        #expect(Store.normalisedPhone("+86 138-0000-0002") == "13800000002")
        #expect(Store.normalisedPhone("008613800000002") == "13800000002")
        #expect(Store.normalisedPhone("8613800000002") == "13800000002")
        #expect(Store.normalisedPhone("0735-0000000") == "07350000000", "a landline keeps its area code")
        #expect(Store.normalisedPhone("86123456") == "86123456", "86 only goes before an 11-digit mobile number")
    }
}
