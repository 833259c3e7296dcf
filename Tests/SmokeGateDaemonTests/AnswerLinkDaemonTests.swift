import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Answer links against the daemon in-process, a real broker and a real database: the page a
/// link opens changes nothing, its buttons acknowledge and resolve exactly as the CLI does,
/// and a link that is expired, changed or someone else's changes nothing.
@Suite(.serialized) struct AnswerLinkDaemonTests {
    @Test func openingTheLinkShowsTheIncidentAndChangesNothing() async throws {
        let rig = try AnswerRig()
        let responders = try await rig.startWithAlarm(called: ["grid", "community"]).responders
        let before = try rig.record()

        let group = try #require(rig.get(rig.link()))
        #expect(group.status == 200, "\(group.body)")
        #expect(group.headers["content-type"] == "text/html; charset=utf-8")
        #expect(group.headers["cache-control"] == "no-store")
        #expect(group.headers["referrer-policy"] == "no-referrer")
        #expect(group.headers["x-robots-tag"]?.hasPrefix("noindex") == true)
        let policy = try #require(group.headers["content-security-policy"])
        #expect(policy.contains("default-src 'none'") && policy.contains("style-src 'nonce-") && !policy.contains("unsafe"))
        for shown in [
            "火警", "未确认", "北湖路1号3栋101室", "北湖小区3栋", "第一网格", "某社区", "涌泉街道", "网格员", "13800000002", "社区值班",
            "向东经消防通道疏散至广场", "社区文化广场", "北湖路 -&gt; 东门 -&gt; 3号楼", "报警立案", "呼叫", ">确认</button>", ">处置完毕</button>",
            #"name="by""#, #"<option value="cooking">"#,
        ] {
            #expect(group.body.contains(shown), "the page shows \(shown)")
        }
        #expect(!group.body.contains("<script") && !group.body.contains("src=") && !group.body.contains("https://"))
        let person = try #require(rig.get(rig.link(tier: .community, unit: "yq-c01", contact: "yq-c01-duty")))
        #expect(person.status == 200 && person.body.contains("社区值班") && !person.body.contains(#"name="by""#))
        // Link scanners fetch it again and again.
        for _ in 0..<3 { #expect(rig.get(rig.link())?.status == 200) }

        #expect(try rig.record() == before, "the state, the timeline and the calls are as they were")
        try await Task.sleep(for: .milliseconds(500))
        #expect(AnswerRig.tiers(responders, action: "ack").isEmpty)
        await rig.harness.stop()
    }

    @Test func theConfirmButtonStopsTheLadderTellsEveryTierAndASecondIsRefused() async throws {
        let rig = try AnswerRig()
        let (responders, alarmedAt) = try await rig.startWithAlarm(called: ["grid", "community"])

        let answered = try #require(rig.post(rig.link(), "action=ack&by=" + formValue(" 网格员王五 ")))
        #expect(answered.status == 200 && answered.body.contains("已确认，升级已停止"), "\(answered.body)")
        #expect(answered.body.contains("已通知：网格、社区") && answered.headers["cache-control"] == "no-store")
        #expect(await eventually(timeout: 3) { Set(AnswerRig.tiers(responders, action: "ack")) == ["grid", "community"] })
        #expect(responders.received.filter { $0.field("action") == "ack" }.allSatisfy { $0.field("by") == "网格员王五" })
        let incident = try #require(try rig.harness.store.incident(1))
        #expect(incident.state == .acknowledged && incident.ackedBy == "网格员王五")
        let line = try #require(try rig.harness.store.timeline(of: 1).last)
        #expect(line.action == .acknowledged && line.by == "网格员王五" && line.channel == "link")

        // The community's duty phone follows its own link a moment later.
        let second = try #require(rig.post(rig.link(tier: .community, unit: "yq-c01", contact: "yq-c01-duty"), "action=ack"))
        #expect(second.status == 409)
        #expect(second.body.contains("already acknowledged by 网格员王五 at \(RFC3339.format(incident.ackedAt!))"), "\(second.body)")
        #expect(try rig.harness.store.incident(1)?.ackedBy == "网格员王五")

        // Past the street's deadline: nobody else is called.
        try await Task.sleep(for: .seconds(max(0, 7 - Date().timeIntervalSince(alarmedAt))))
        #expect(AnswerRig.tiers(responders, action: "notify") == ["grid", "community"])
        #expect(rig.get("/metrics")?.body.contains(#"smokegate_answers_total{channel="link",outcome="refused"} 1"#) == true)
        await rig.harness.stop()
    }

    @Test func aPersonsLinkAnswersAsThatPersonAndAGroupsNeedsAName() async throws {
        let rig = try AnswerRig(escalation: "{ grid: 0s, community: 1h }")
        let responders = try await rig.startWithAlarm(called: ["grid"]).responders
        let before = try rig.record()
        for form in [
            "action=ack", "action=ack&by=+++", "action=ack&by=" + String(repeating: "王", count: 65), "action=dance&by=王",
        ] {
            let refused = try #require(rig.post(rig.link(), form))
            #expect(refused.status == 400, "\(form): \(refused.status)")
        }
        #expect(try rig.record() == before, "a form missing its name changes nothing")

        // The grid worker's own text link: the name comes from the chain, whatever the form says.
        let answered = try #require(rig.post(rig.link(contact: "yq-c01-g01-w"), "action=ack&by=someone+else"))
        #expect(answered.status == 200, "\(answered.body)")
        #expect(try rig.harness.store.incident(1)?.ackedBy == "网格员")
        await rig.harness.stop()
    }

    @Test func expiredChangedAndOtherIncidentsLinksChangeNothing() async throws {
        let rig = try AnswerRig(escalation: "{ grid: 0s, community: 1h }")
        let responders = try await rig.startWithAlarm(called: ["grid"]).responders
        let before = try rig.record()

        let expired = rig.link(validFor: -1)
        #expect(rig.get(expired)?.status == 410)
        let gone = try #require(rig.post(expired, "action=ack&by=王"))
        #expect(gone.status == 410 && gone.body.contains("链接已过期") && gone.headers["cache-control"] == "no-store")

        var characters = Array(rig.link())
        let middle = characters.count - 20
        characters[middle] = characters[middle] == "A" ? "B" : "A"
        let changed = String(characters)
        #expect(rig.get(changed)?.status == 403)
        let forbidden = try #require(rig.post(changed, "action=ack&by=王"))
        #expect(forbidden.status == 403 && forbidden.body.contains("链接无效"))
        #expect(rig.post("/answer/not-a-token", "action=ack&by=王")?.status == 403)

        // Signed with another key: made by someone who does not hold this gateway's.
        let foreign = AnswerRig.forged(incident: 1, port: rig.port)
        #expect(rig.post(foreign, "action=ack&by=王")?.status == 403)

        // A genuine link to another incident touches only that one (here, none).
        #expect(rig.post(rig.link(incident: 2), "action=ack&by=王")?.status == 404)
        #expect(rig.post(rig.link(incident: 2), "action=resolve&by=王&cause=test")?.status == 404)

        #expect(try rig.record() == before, "nothing changed")
        #expect(try rig.harness.store.incident(2) == nil)
        let metrics = rig.get("/metrics")?.body ?? ""
        #expect(metrics.contains(#"smokegate_answers_total{channel="link",outcome="expired"} 2"#), "\(metrics)")
        #expect(metrics.contains(#"smokegate_answers_total{channel="link",outcome="tampered"} 3"#))
        #expect(!metrics.contains(#"outcome="refused""#), "a link to a missing incident is not an answer refused")
        await rig.harness.stop()
    }

    @Test func theResolveButtonClosesWithTheCauseAndSaysWhenTheFireRelatches() async throws {
        let rig = try AnswerRig()
        let responders = try await rig.startWithAlarm(called: ["grid", "community"]).responders
        #expect(rig.post(rig.link(), "action=resolve&by=王五&cause=other")?.status == 400, "other, with no words")

        // det-1 still senses smoke: resolving re-latches it at once, as `smokegate resolve` says.
        let resolved = try #require(rig.post(rig.link(), "action=resolve&by=王五&cause=cooking"))
        #expect(resolved.status == 200 && resolved.body.contains("已处置完毕"), "\(resolved.body)")
        #expect(resolved.body.contains("RE-LATCHED: det-1 still senses smoke: fire incident 2 opened at once"))
        #expect(!resolved.body.contains(">确认</button>") && !resolved.body.contains(">处置完毕</button>"), "nothing left to do")
        let incident = try #require(try rig.harness.store.incident(1))
        #expect(incident.state == .resolved && incident.resolvedBy == "王五" && incident.cause == "cooking")
        let line = try #require(try rig.harness.store.timeline(of: 1).last)
        #expect(line.action == .resolved && line.channel == "link")
        #expect(await eventually(timeout: 3) { Set(AnswerRig.tiers(responders, action: "resolve")) == ["grid", "community"] })
        #expect(rig.post(rig.link(), "action=resolve&by=王五&cause=cooking")?.status == 409, "already resolved")

        // Fire 2's own link, resolved in the responder's own words once the smoke has cleared.
        try await rig.harness.publisher().publish("smokegate/detectors/det-1/event", #"{"type":"alarm_clear","seq":2}"#)
        #expect(try await eventually { try rig.harness.store.timeline(of: 2).contains { $0.action == .alarmCleared } })
        let words = "action=resolve&by=王五&cause=other&cause_text=" + formValue("烧水壶干烧")
        #expect(rig.post(rig.link(incident: 2), words)?.status == 200)
        #expect(try rig.harness.store.incident(2)?.cause == "烧水壶干烧")
        await rig.harness.stop()
    }

    @Test func withoutAnswerConfiguredNothingAnswersOnAnswer() async throws {
        let rig = try AnswerRig(answers: false)
        try await rig.harness.start()
        #expect(await eventually(timeout: 10) { rig.get("/healthz")?.status == 200 })
        #expect(rig.get(rig.link())?.status == 404)
        #expect(rig.post(rig.link(), "action=ack&by=王")?.status == 404)
        #expect(rig.post("/answer/sms/\(AnswerRig.smsPath)", "[]", contentType: "application/json")?.status == 404)
        await rig.harness.stop()
    }
}
