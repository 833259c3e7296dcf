import AsyncHTTPClient
import Crypto
import Foundation
import SmokeGateCore

/// 钉钉自定义机器人: a markdown message to a DingTalk group, `POST {url}&timestamp=MS&sign=S`
/// where the URL carries the access token and, when the robot signs ("加签"), `S` is
/// `urlencode(base64(HMAC-SHA256(key: secret, message: MS + "\n" + secret)))`.
public struct DingTalkReceiver: Receiver {
    public let settings: ReceiverSettings
    public var text: CallText

    /// Not documented for robots (unconfirmed): 20,000 bytes of text, the limit DingTalk
    /// states for its other message APIs. A card is about 600 bytes.
    public static let contentLimit = 20_000

    /// Codes that cannot succeed on a resend: 310000 signature, timestamp, keyword or IP
    /// refused; 300001/300005/400101 no such token; 400102 robot disabled; 400105 message
    /// type refused; 400106 no such robot; 400013 the group was dissolved; 430101–430104
    /// content refused. Every other nonzero code is retried.
    static let permanent: Set<Int> = [
        310000, 300001, 300005, 400013, 400101, 400102, 400105, 400106, 430101, 430102, 430103, 430104,
    ]

    /// 130101 and 410100: over 20 a minute; the robot is then throttled for 10 minutes.
    static let throttled: Set<Int> = [130101, 410100]
    static let throttle: TimeInterval = 600

    public init(settings: ReceiverSettings, text: CallText = CallText()) {
        self.settings = settings
        self.text = text
    }

    public func fits(_ calls: [CallCard]) -> Bool {
        calls.count <= 1 || text.markdown(calls, lineBreak: "\n\n").utf8.count <= Self.contentLimit
    }

    /// `sign` for `timestamp` (milliseconds, as sent), before URL encoding.
    public static func signature(timestamp: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data((timestamp + "\n" + secret).utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// The hook URL with `timestamp` and `sign` appended (unchanged without a secret).
    public func signedURL(now: Date) -> String {
        guard let secret = settings.secret, !secret.isEmpty else { return settings.url }
        let timestamp = String(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
        let sign = Self.signature(timestamp: timestamp, secret: secret)
        let encoded = sign.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? sign
        return settings.url + (settings.url.contains("?") ? "&" : "?") + "timestamp=\(timestamp)&sign=\(encoded)"
    }

    /// The request body: `{"markdown":{"text":…,"title":…},"msgtype":"markdown"}`.
    public func body(_ calls: [CallCard]) -> [UInt8] {
        let content = text.markdown(calls, lineBreak: "\n\n", limit: Self.contentLimit)
        return JSONRequest.encode(Body(markdown: .init(title: text.title(calls), text: content)))
    }

    public func send(_ message: OutgoingMessage, using http: HTTPClient) async -> DeliveryOutcome {
        await RobotPost.send(
            url: signedURL(now: message.now), body: body(message.calls), settings: settings, using: http,
            now: message.now, codeKeys: ["errcode"], messageKeys: ["errmsg"]
        ) { Self.decide($0, now: message.now) }
    }

    static func decide(_ answer: RobotAnswer, now: Date) -> DeliveryOutcome {
        let why = "dingtalk errcode \(answer.code): \(answer.message)"
        switch answer.code {
        case 0: return .delivered(detail: nil)
        case let code where throttled.contains(code): return .rateLimited(until: now.addingTimeInterval(throttle), why)
        case -1: return .retryLater(why)
        case let code where permanent.contains(code): return .refused(why)
        default: return .retryLater(why)
        }
    }

    private struct Body: Encodable {
        struct Markdown: Encodable {
            var title: String
            var text: String
        }
        var msgtype = "markdown"
        var markdown: Markdown
    }
}
