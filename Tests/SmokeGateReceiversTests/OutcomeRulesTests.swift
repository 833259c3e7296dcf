import Foundation
import NIOHTTP1
import SmokeGateCore
import Testing

@testable import SmokeGateReceivers

/// The decision tables, code by code, without a server: what each vendor's documented code
/// comes to, and the pieces the outcomes are read from.
@Suite struct OutcomeRulesTests {
    let now = Date(timeIntervalSince1970: 1_800_000_017)

    func answer(_ code: Int, _ message: String = "") -> RobotAnswer {
        RobotAnswer(Array(#"{"errcode":\#(code),"errmsg":"\#(message)"}"#.utf8), codeKeys: ["errcode"], messageKeys: ["errmsg"])!
    }

    @Test func weComCodes() {
        #expect(WeComReceiver.decide(answer(0), now: now) == .delivered(detail: nil))
        #expect(WeComReceiver.decide(answer(93000), now: now).name == "refused")
        #expect(WeComReceiver.decide(answer(40058), now: now).name == "refused")
        #expect(WeComReceiver.decide(answer(-1), now: now).name == "retry")
        #expect(WeComReceiver.decide(answer(60020), now: now).name == "retry")
        #expect(
            WeComReceiver.decide(answer(45009), now: now)
                == .rateLimited(until: Date(timeIntervalSince1970: 1_800_000_060), "wecom errcode 45009: "))
    }

    @Test func dingTalkCodes() {
        for code in [310000, 300001, 400101, 400102, 400013, 430104] {
            #expect(DingTalkReceiver.decide(answer(code), now: now).name == "refused", "\(code)")
        }
        #expect(DingTalkReceiver.decide(answer(410100), now: now).name == "rate_limited")
        #expect(DingTalkReceiver.decide(answer(-1), now: now).name == "retry")
        #expect(DingTalkReceiver.decide(answer(88), now: now).name == "retry")
    }

    @Test func feishuCodes() {
        let feishu = { (code: Int) in
            FeishuReceiver.decide(
                RobotAnswer(
                    Array(#"{"code":\#(code),"msg":"m"}"#.utf8), codeKeys: ["code", "StatusCode"], messageKeys: ["msg"])!,
                now: self.now)
        }
        for code in [19001, 19021, 19022, 19024] { #expect(feishu(code).name == "refused", "\(code)") }
        #expect(feishu(11232) == .rateLimited(until: now.addingTimeInterval(60), "feishu code 11232: m"))
        #expect(feishu(9499).name == "retry")
        let older = RobotAnswer(
            Array(#"{"StatusCode":0,"StatusMessage":"success"}"#.utf8), codeKeys: ["code", "StatusCode"], messageKeys: ["msg"])
        #expect(older?.code == 0)
    }

    @Test func aliyunCodes() {
        func decide(_ status: Int, _ body: String) -> DeliveryOutcome {
            AliyunRPC.decide(
                status: status, headers: HTTPHeaders(), body: Array(body.utf8), now: now, vendor: "aliyun_sms", receipt: "BizId")
        }
        #expect(decide(200, #"{"Code":"OK","BizId":"900^0"}"#) == .delivered(detail: "BizId 900^0"))
        #expect(decide(200, #"{"Code":"isv.SMS_TEMPLATE_ILLEGAL","Message":"x"}"#).name == "refused")
        #expect(decide(400, #"{"Code":"InvalidTimeStamp.Expired","Message":"x"}"#).name == "refused")
        #expect(decide(500, #"{"Code":"InternalError","Message":"x"}"#).name == "retry")
        #expect(decide(503, #"{"Code":"SomethingNew","Message":"x"}"#).name == "retry")
        #expect(
            decide(200, #"{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发小时级流控Permits:5"}"#)
                == .rateLimited(until: now.addingTimeInterval(3600), "aliyun_sms isv.BUSINESS_LIMIT_CONTROL: 触发小时级流控Permits:5"))
        // A 200 without a code may have been a text sent: not known, never resent blindly.
        #expect(decide(200, "<html>ok</html>").name == "unknown")
        #expect(decide(502, "<html>bad gateway</html>").name == "retry")
    }

    @Test func retryAfterIsSecondsOrAnHTTPDate() {
        #expect(RetryAfter.parse("120", now: now) == now.addingTimeInterval(120))
        #expect(RetryAfter.parse("Wed, 21 Oct 2026 07:28:00 GMT", now: now) == Date(timeIntervalSince1970: 1_792_567_680))
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse(nil, now: now) == nil)
    }

    /// The vendor's words, without its hint and help link.
    @Test func messagesAreShortened() {
        let long =
            "invalid webhook url, hint: [1755605200056773468916791], from ip: 1.2.3.4, more info at https://open.work.weixin.qq.com/devtool/query?e=93000"
        #expect(RobotAnswer.shorten(long) == "invalid webhook url")
    }
}
