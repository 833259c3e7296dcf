import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// SMS replies as Aliyun's SmsUp pushes them to the daemon: `1 CODE` from the phone the code
/// was texted to acknowledges as that contact; anything else is answered, counted, and
/// changes nothing.
@Suite(.serialized) struct AnswerSMSDaemonTests {
    static let path = "/answer/sms/\(AnswerRig.smsPath)"

    func push(_ rig: AnswerRig, _ replies: [(phone: String, content: String)]) -> HTTPProbe.Response? {
        let items = replies.enumerated().map { index, reply in
            #"{"phone_number":"\#(reply.phone)","content":"\#(reply.content)","send_time":"2026-05-01 12:00:0\#(index)","dest_code":"1065","sequence_id":\#(index + 1)}"#
        }
        return rig.post(Self.path, "[" + items.joined(separator: ",") + "]", contentType: "application/json")
    }

    @Test func aReplyFromThePhoneTheCodeWentToAcknowledgesAsThatContact() async throws {
        let rig = try AnswerRig(escalation: "{ grid: 0s, community: 1s, street: 1h }")
        let responders = try await rig.startWithAlarm(called: ["grid", "community"]).responders
        try AnswerTexts.insert(
            store: try rig.harness.database.open(), incident: 1, phone: "13800000002", code: "482913",
            createdAt: Date())
        let before = try rig.record()

        // The right code from another phone, a wrong code, and words: answered, nothing changes.
        let ignored = try #require(
            push(
                rig,
                [("13800000001", "1 482913"), ("13800000002", "1 482914"), ("13800000002", "收到，马上到"), ("13800000001", "1482913")])
        )
        #expect(ignored.status == 200 && ignored.body == #"{"code":0,"msg":"接收成功"}"#, "\(ignored.body)")
        #expect(ignored.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(try rig.record() == before)

        // Full-width digits and space, as a Chinese keyboard types them, with the country code.
        let taken = try #require(push(rig, [("+8613800000002", "１　４８２９１３")]))
        #expect(taken.status == 200 && taken.body == #"{"code":0,"msg":"接收成功"}"#)
        let incident = try #require(try rig.harness.store.incident(1))
        #expect(incident.state == .acknowledged && incident.ackedBy == "网格员")
        let line = try #require(try rig.harness.store.timeline(of: 1).last)
        #expect(line.action == .acknowledged && line.by == "网格员" && line.channel == "sms")
        #expect(await eventually(timeout: 3) { Set(AnswerRig.tiers(responders, action: "ack")) == ["grid", "community"] })

        // The provider retries the same push: still answered, still one acknowledgement.
        #expect(push(rig, [("+8613800000002", "１　４８２９１３")])?.status == 200)
        #expect(try rig.harness.store.timeline(of: 1).filter { $0.action == .acknowledged }.count == 1)
        let metrics = rig.get("/metrics")?.body ?? ""
        for (outcome, count) in [("no_match", 3), ("not_a_code", 1), ("acknowledged", 1), ("refused", 1)] {
            #expect(metrics.contains(#"smokegate_answers_total{channel="sms",outcome="\#(outcome)"} \#(count)"#), "\(outcome)")
        }
        await rig.harness.stop()
    }

    @Test func onlyTheSecretPathTakesPushesAndOnlyAsAListOfReplies() async throws {
        let rig = try AnswerRig(escalation: "{ grid: 0s, community: 1h }")
        try await rig.harness.start()
        #expect(await eventually(timeout: 10) { rig.get("/healthz")?.status == 200 })
        #expect(rig.post("/answer/sms/sms-7f3c9a41d2e8b604", "[]", contentType: "application/json")?.status == 404)
        #expect(rig.post("/answer/sms/", "[]", contentType: "application/json")?.status != 200)
        for body in ["", "{not json", #"{"phone_number":"13800000002","content":"1 482913"}"#, "[1, 2]", #"["1 482913"]"#] {
            #expect(rig.post(Self.path, body, contentType: "application/json")?.status == 400, "\(body)")
        }
        #expect(rig.post(Self.path, "[]", contentType: "application/json")?.body == #"{"code":0,"msg":"接收成功"}"#)
        let large =
            "[" + Array(repeating: #"{"phone_number":"13800000002","content":"1 000000"}"#, count: 6_000).joined(separator: ",")
            + "]"
        #expect(rig.post(Self.path, large, contentType: "application/json")?.status == 413)
        #expect(rig.harness.daemon?.isConnected == true, "still running")
        await rig.harness.stop()
    }
}
