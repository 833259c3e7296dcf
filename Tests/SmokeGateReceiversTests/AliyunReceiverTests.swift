import AsyncHTTPClient
import Foundation
import NIOCore
import SmokeGateCore
import SmokeGateReceivers
import SmokeGateTestSupport
import Testing

/// Aliyun SMS and voice against their double: `SendSms` and `SingleCallByTts` signed with
/// V2, the template's string values, `OutId` the notification id; each documented code.
@Suite struct AliyunReceiverTests {
    @Test func aTextReachesTheContactWithTheAnswerCode() async throws {
        try await withDoubles { doubles in
            let outcome = await AliyunSMSReceiver(settings: doubles.settings(.aliyunSMS)).send(
                OutgoingMessage(calls: [CallCards.fire()], recipient: CallCards.person, now: Date()), using: testHTTP)
            guard case .delivered(let receipt) = outcome else { throw Failure("not delivered: \(outcome)") }
            #expect(receipt?.hasPrefix("BizId ") == true)
            let text = try #require(doubles.received(.aliyunSMS).first)
            #expect(text.to == "13800000000")
            #expect(text.code == "482913")
            #expect(text.fields["OutId"] == "n-42-grid")
            #expect(text.fields["SignName"] == "涌泉街道")
            #expect(text.fields["TemplateCode"] == "SMS_000000")
            #expect(text.fields["param.kind"] == "火警")
            #expect(text.fields["param.address"] == "幸福小区3栋2单元501")
            #expect(text.fields["param.incident"] == "42")
            #expect(text.text == "【涌泉街道】火警：幸福小区3栋2单元501（事件 42）。回复“1 482913”确认收到。")
        }
    }

    @Test func aVoiceCallReachesTheContact() async throws {
        try await withDoubles { doubles in
            var settings = doubles.settings(.aliyunVoice)
            settings.calledShowNumber = "07358880000"
            let outcome = await AliyunVoiceReceiver(settings: settings).send(
                OutgoingMessage(calls: [CallCards.fire()], recipient: CallCards.person, now: Date()), using: testHTTP)
            guard case .delivered(let receipt) = outcome else { throw Failure("not delivered: \(outcome)") }
            #expect(receipt?.hasPrefix("CallId ") == true)
            let call = try #require(doubles.received(.aliyunVoice).first)
            #expect(call.to == "13800000000")
            #expect(call.fields["CalledShowNumber"] == "07358880000")
            #expect(call.fields["TtsCode"] == "TTS_000000")
            #expect(call.fields["OutId"] == "n-42-grid")
            #expect(call.text.contains("火警警报，幸福小区3栋2单元501"))
        }
    }

    /// Template values are strings, cut to Aliyun's variable length; an address never a URL.
    @Test func templateValuesAreShortStrings() {
        let values = AliyunSMSReceiver.templateParameters(CallCards.fire(address: String(repeating: "长", count: 50)))
        #expect(values["address"]?.count == 35)
        #expect(AliyunSMSReceiver.templateParam(["code": "1", "incident": "42"]) == #"{"code":"1","incident":"42"}"#)
    }

    @Test(arguments: [ReceiverKind.aliyunSMS, .aliyunVoice]) func aWrongSecretIsRefused(kind: ReceiverKind) async throws {
        try await withDoubles { doubles in
            var settings = doubles.settings(kind)
            settings.secret = "not-the-secret"
            let outcome = await Receivers.make(settings).send(
                OutgoingMessage(calls: [CallCards.fire()], recipient: CallCards.person, now: Date()), using: testHTTP)
            #expect(outcome.name == "refused")
            #expect(outcome.detail?.contains("SignatureDoesNotMatch") == true)
        }
    }

    @Test func aNumberAliyunCannotTextIsRefused() async throws {
        try await withDoubles { doubles in
            let outcome = await AliyunSMSReceiver(settings: doubles.settings(.aliyunSMS)).send(
                OutgoingMessage(
                    calls: [CallCards.fire()], recipient: Contact(id: "d", name: "值班室", phone: "07350000001"), now: Date()),
                using: testHTTP)
            #expect(outcome.name == "refused")
            #expect(outcome.detail?.contains("isv.MOBILE_NUMBER_ILLEGAL") == true)
        }
    }

    @Test func noPhoneNoText() async {
        let outcome = await AliyunSMSReceiver(settings: .init(name: "s", kind: .aliyunSMS, url: "http://127.0.0.1:9/")).send(
            OutgoingMessage(calls: [CallCards.fire()], now: Date()), using: testHTTP)
        #expect(outcome.name == "refused")
    }

    /// Each documented code, scripted: flow control rate-limited (by the window it names),
    /// `isp.SYSTEM_ERROR` retried, a bad key or signature refused, a 503 page retried.
    @Test(arguments: [
        (ReceiverKind.aliyunSMS, DoubleAnswer.rateLimited, "rate_limited"), (.aliyunSMS, .badKey, "refused"),
        (.aliyunSMS, .badSignature, "refused"), (.aliyunSMS, .busy, "retry"), (.aliyunSMS, .down, "retry"),
        (
            .aliyunSMS, .http(status: 200, body: #"{"Code":"isv.AMOUNT_NOT_ENOUGH","Message":"账户余额不足"}"#, retryAfter: nil),
            "refused"
        ),
        (
            .aliyunSMS,
            .http(
                status: 400, body: #"{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#,
                retryAfter: nil), "rate_limited"
        ),
        (.aliyunVoice, .rateLimited, "rate_limited"), (.aliyunVoice, .badKey, "refused"), (.aliyunVoice, .busy, "retry"),
    ])
    func documentedCodes(kind: ReceiverKind, answer: DoubleAnswer, outcome expected: String) async throws {
        try await withDoubles { doubles in
            doubles.script(DoubleVendor(rawValue: kind.rawValue)!, [answer])
            let outcome = await Receivers.make(doubles.settings(kind)).send(
                OutgoingMessage(calls: [CallCards.fire()], recipient: CallCards.person, now: Date()), using: testHTTP)
            #expect(outcome.name == expected, "\(kind) \(answer): \(outcome)")
        }
    }

    /// Flow control names its window: a minute, an hour, or the day (to midnight in China).
    @Test func flowControlLiftsWithTheWindowItNames() async throws {
        try await withDoubles { doubles in
            let now = Date()
            let day = #"{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发天级流控Permits:10"}"#
            doubles.script(.aliyunSMS, [.rateLimited, .http(status: 200, body: day, retryAfter: nil)])
            let receiver = AliyunSMSReceiver(settings: doubles.settings(.aliyunSMS))
            let minute = await receiver.send(
                OutgoingMessage(calls: [CallCards.fire()], recipient: CallCards.person, now: now), using: testHTTP)
            let daily = await receiver.send(
                OutgoingMessage(calls: [CallCards.fire()], recipient: CallCards.person, now: now), using: testHTTP)
            guard case .rateLimited(let soon, _) = minute, case .rateLimited(let tomorrow, _) = daily else {
                throw Failure("not rate-limited: \(minute), \(daily)")
            }
            #expect(soon == now.addingTimeInterval(60))
            var china = Calendar(identifier: .gregorian)
            china.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            #expect(tomorrow == china.date(byAdding: .day, value: 1, to: china.startOfDay(for: now)))
        }
    }

    /// The double keeps Aliyun's rule that a nonce is used once: a replayed request is refused.
    @Test func aReplayedNonceIsRefused() async throws {
        try await withDoubles { doubles in
            var parameters = AliyunRPC.common(
                action: "SendSms", accessKeyID: doubles.credentials.aliyunAccessKeyID, now: Date(), nonce: "once")
            parameters.merge(
                AliyunSMSReceiver(settings: doubles.settings(.aliyunSMS)).parameters(CallCards.fire(), phone: "13800000000")
            ) { common, _ in common }
            let form = AliyunRPC.signedForm(parameters, secret: doubles.credentials.aliyunAccessKeySecret)
            var codes: [String] = []
            for _ in 0..<2 {
                var request = HTTPClientRequest(url: doubles.url(.aliyunSMS))
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.body = .bytes(Array(form.utf8))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
                let body = try await response.body.collect(upTo: 1 << 16)
                let object = try JSONSerialization.jsonObject(with: Data(String(buffer: body).utf8)) as? [String: Any]
                codes.append(object?["Code"] as? String ?? "")
            }
            #expect(codes == ["OK", "SignatureNonceUsed"])
        }
    }

    /// One call per text or phone call.
    @Test func oneCallAMessage() {
        let sms = AliyunSMSReceiver(settings: .init(name: "s", kind: .aliyunSMS, url: "http://127.0.0.1/"))
        #expect(!sms.fits([CallCards.fire(), CallCards.fault()]))
    }
}
