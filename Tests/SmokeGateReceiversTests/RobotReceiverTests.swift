import AsyncHTTPClient
import Foundation
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateTestSupport
import Testing

/// WeCom, DingTalk and Feishu against their doubles: the documented shape and signature
/// taken, each documented error decided on the robot's code, not the HTTP status.
@Suite struct RobotReceiverTests {
    static let robots: [ReceiverKind] = [.wecom, .dingtalk, .feishu]

    @Test(arguments: robots) func aFireCallReachesTheGroupWithItsLink(kind: ReceiverKind) async throws {
        try await withDoubles { doubles in
            let receiver = Receivers.make(doubles.settings(kind, key: "grid-07"))
            let outcome = await receiver.send(OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(outcome == .delivered(detail: nil))
            let message = try #require(doubles.received.first)
            #expect(message.vendor.rawValue == kind.rawValue)
            #expect(message.to == "grid-07")
            #expect(message.link == CallCards.link)
            for line in ["【火警】通知", "地址：幸福小区3栋2单元501", "疏散方向：向东侧楼梯疏散", "张伟 13800000000", "点击查看并确认 <\(CallCards.link)>"] {
                #expect(message.text.contains(line), "\(kind) text lacks \(line):\n\(message.text)")
            }
        }
    }

    @Test func weComSendsMarkdown() async throws {
        try await withDoubles { doubles in
            _ = await WeComReceiver(settings: doubles.settings(.wecom)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(doubles.received.first?.fields["msgtype"] == "markdown")
        }
    }

    @Test func dingTalkSendsMarkdownWithATitle() async throws {
        try await withDoubles { doubles in
            _ = await DingTalkReceiver(settings: doubles.settings(.dingtalk)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            let message = try #require(doubles.received.first)
            #expect(message.fields["msgtype"] == "markdown")
            #expect(message.fields["title"] == "【火警】通知 幸福小区3栋2单元501")
        }
    }

    @Test func feishuSendsAnInteractiveCard() async throws {
        try await withDoubles { doubles in
            _ = await FeishuReceiver(settings: doubles.settings(.feishu)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            let message = try #require(doubles.received.first)
            #expect(message.fields["msg_type"] == "interactive")
            #expect(message.fields["content"]?.contains(#""template":"red""#) == true)
            // The card's header carries the title; the body does not repeat it.
            #expect(message.text.components(separatedBy: "【火警】通知").count == 2, "\(message.text)")
        }
    }

    /// The doubles' own documented refusals: a wrong signing secret, a stale timestamp.
    @Test(arguments: [ReceiverKind.dingtalk, .feishu]) func aWrongSecretIsRefused(kind: ReceiverKind) async throws {
        try await withDoubles { doubles in
            var settings = doubles.settings(kind)
            settings.secret = "not-the-robot-secret"
            let outcome = await Receivers.make(settings).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(outcome.name == "refused")
            #expect(doubles.attempts.first?.rejection?.contains("signature") == true)
            #expect(doubles.received.isEmpty)
        }
    }

    @Test(arguments: [ReceiverKind.dingtalk, .feishu]) func aTimestampMoreThanAnHourOffIsRefused(kind: ReceiverKind) async throws
    {
        try await withDoubles { doubles in
            let stale = Date().addingTimeInterval(-7200)
            let outcome = await Receivers.make(doubles.settings(kind)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: stale), using: testHTTP)
            #expect(outcome.name == "refused")
        }
    }

    @Test func weComRefusesAnUnknownKey() async throws {
        try await withDoubles(DoubleCredentials(wecomKeys: ["the-grid-robot"])) { doubles in
            let outcome = await WeComReceiver(settings: doubles.settings(.wecom, key: "a-removed-robot")).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(outcome.name == "refused")
            #expect(outcome.detail?.contains("93000") == true)
        }
    }

    /// Each documented error, scripted, and the outcome the receiver decides on it.
    @Test(arguments: [
        (ReceiverKind.wecom, DoubleAnswer.rateLimited, "rate_limited"), (.wecom, .badKey, "refused"), (.wecom, .busy, "retry"),
        (.wecom, .down, "retry"), (.dingtalk, .rateLimited, "rate_limited"), (.dingtalk, .badKey, "refused"),
        (.dingtalk, .badSignature, "refused"), (.dingtalk, .busy, "retry"), (.dingtalk, .down, "retry"),
        (.feishu, .rateLimited, "rate_limited"), (.feishu, .badKey, "refused"), (.feishu, .badSignature, "refused"),
        (.feishu, .busy, "retry"), (.feishu, .down, "retry"),
    ])
    func documentedErrors(kind: ReceiverKind, answer: DoubleAnswer, outcome expected: String) async throws {
        try await withDoubles { doubles in
            doubles.script(DoubleVendor(rawValue: kind.rawValue)!, [answer])
            let outcome = await Receivers.make(doubles.settings(kind)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(outcome.name == expected, "\(kind) \(answer): \(outcome)")
            #expect(doubles.received.isEmpty)
        }
    }

    /// WeCom counts 20 a clock minute: rate-limited until the next one.
    @Test func weComRateLimitLiftsAtTheNextMinute() async throws {
        try await withDoubles { doubles in
            doubles.script(.wecom, [.rateLimited])
            let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 + 17)
            let outcome = await WeComReceiver(settings: doubles.settings(.wecom)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: now), using: testHTTP)
            #expect(outcome == .rateLimited(until: now.addingTimeInterval(43), "wecom errcode 45009: api freq out of limit"))
        }
    }

    /// DingTalk throttles a robot for 10 minutes once it has sent 20 in a minute.
    @Test func dingTalkRateLimitLastsTenMinutes() async throws {
        try await withDoubles { doubles in
            doubles.script(.dingtalk, [.rateLimited])
            let now = Date()
            let outcome = await DingTalkReceiver(settings: doubles.settings(.dingtalk)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: now), using: testHTTP)
            guard case .rateLimited(let until, _) = outcome else { throw Failure("not rate-limited: \(outcome)") }
            #expect(until == now.addingTimeInterval(600))
        }
    }

    /// Robots answer 200 with an error code: a nonzero code is never taken for delivered.
    @Test func aCodeNotAStatusDecides() async throws {
        try await withDoubles { doubles in
            doubles.script(
                .wecom, [.http(status: 200, body: #"{"errcode":40058,"errmsg":"invalid Request Parameter"}"#, retryAfter: nil)])
            doubles.script(.feishu, [.http(status: 200, body: #"{"code":12345,"msg":"unheard of"}"#, retryAfter: nil)])
            let wecom = await WeComReceiver(settings: doubles.settings(.wecom)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            let feishu = await FeishuReceiver(settings: doubles.settings(.feishu)).send(
                OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
            #expect(wecom.name == "refused")
            #expect(feishu.name == "retry")
        }
    }

    /// Several calls merged: one message, every call in order, each with its own link.
    @Test(arguments: robots) func mergedCallsArriveAsOneMessageInOrder(kind: ReceiverKind) async throws {
        try await withDoubles { doubles in
            let calls = [
                CallCards.fire(incident: 1, address: "一号楼"), CallCards.fire(incident: 2, address: "二号楼"),
                CallCards.fault(incident: 3),
            ]
            let receiver = Receivers.make(doubles.settings(kind))
            #expect(receiver.fits(calls))
            let outcome = await receiver.send(OutgoingMessage(calls: calls, now: Date()), using: testHTTP)
            #expect(outcome == .delivered(detail: nil))
            #expect(doubles.received.count == 1)
            let text = try #require(doubles.received.first?.text)
            let order = try ["1. 【火警】通知", "一号楼", "2. 【火警】通知", "二号楼", "3. 【故障】通知", "安康苑5栋", "fault-3"].map {
                try #require(text.range(of: $0)?.lowerBound, "\(kind) lacks \($0):\n\(text)")
            }
            #expect(order == order.sorted())
        }
    }

    /// `fits` follows each vendor's documented size: WeCom's 4096 bytes of markdown, Feishu's
    /// 20 KB body; one call always goes (shortened) and is taken.
    @Test func fitsFollowsTheDocumentedLimits() async throws {
        let many = (0..<12).map { CallCards.fire(incident: Int64($0), contacts: 3) }
        #expect(!WeComReceiver(settings: .init(name: "w", kind: .wecom, url: "http://127.0.0.1/")).fits(many))
        #expect(FeishuReceiver(settings: .init(name: "f", kind: .feishu, url: "http://127.0.0.1/")).fits(many))
        let lots = (0..<40).map { CallCards.fire(incident: Int64($0), contacts: 3) }
        #expect(!FeishuReceiver(settings: .init(name: "f", kind: .feishu, url: "http://127.0.0.1/")).fits(lots))
        try await withDoubles { doubles in
            for kind in Self.robots {
                let outcome = await Receivers.make(doubles.settings(kind)).send(
                    OutgoingMessage(calls: [CallCards.fire(contacts: 700)], now: Date()), using: testHTTP)
                #expect(outcome == .delivered(detail: nil), "\(kind): \(outcome)")
            }
            #expect(doubles.received.allSatisfy { $0.link == CallCards.link })
        }
    }
}
