import AsyncHTTPClient
import Crypto
import Foundation
import SmokeGateCore

/// 飞书自定义机器人: an interactive card to a Feishu group, `POST {url}` (the URL carries the
/// hook token) with `timestamp` (seconds) and, when the bot signs, `sign` =
/// `base64(HMAC-SHA256(key: timestamp + "\n" + secret, message: empty))` (key and message
/// the other way round from DingTalk).
public struct FeishuReceiver: Receiver {
    public let settings: ReceiverSettings
    public var text: CallText

    /// Documented: a request body of at most 20 KB.
    public static let bodyLimit = 20 * 1024

    /// Codes that cannot succeed on a resend: 19001 no such hook, 19021 signature or timestamp
    /// refused, 19022 IP not allowed, 19024 keyword missing. Every other nonzero code is retried.
    static let permanent: Set<Int> = [19001, 19021, 19022, 19024]

    /// 11232: over 100 a minute or 5 a second.
    static let throttled = 11232

    public init(settings: ReceiverSettings, text: CallText = CallText()) {
        self.settings = settings
        self.text = text
    }

    public func fits(_ calls: [CallCard]) -> Bool {
        calls.count <= 1 || body(calls, now: Date(timeIntervalSince1970: 0), limit: .max).count <= Self.bodyLimit
    }

    /// `sign` for `timestamp` (seconds, as sent).
    public static func signature(timestamp: String, secret: String) -> String {
        let key = SymmetricKey(data: Data((timestamp + "\n" + secret).utf8))
        return Data(HMAC<SHA256>.authenticationCode(for: Data(), using: key)).base64EncodedString()
    }

    /// The request body: the card, with `timestamp` and `sign` when the bot signs. A card
    /// over the limit is shortened until the whole body fits.
    public func body(_ calls: [CallCard], now: Date) -> [UInt8] {
        body(calls, now: now, limit: Self.bodyLimit)
    }

    private func body(_ calls: [CallCard], now: Date, limit: Int) -> [UInt8] {
        var contentLimit = limit
        while true {
            let bytes = encode(calls, now: now, content: text.markdown(calls, heading: false, limit: contentLimit))
            if bytes.count <= limit || contentLimit < 256 { return bytes }
            contentLimit = min(contentLimit, bytes.count) - (bytes.count - limit) - 64
        }
    }

    private func encode(_ calls: [CallCard], now: Date, content: String) -> [UInt8] {
        let timestamp = String(Int64(now.timeIntervalSince1970.rounded(.down)))
        let secret = settings.secret.flatMap { $0.isEmpty ? nil : $0 }
        let card = Card(
            header: .init(template: Self.colour(calls), title: .init(content: text.title(calls))),
            elements: [.init(content: content)])
        return JSONRequest.encode(
            Body(
                timestamp: secret == nil ? nil : timestamp,
                sign: secret.map { Self.signature(timestamp: timestamp, secret: $0) }, card: card))
    }

    /// Red for a fire call or a failed call, green for answers, orange for maintenance.
    static func colour(_ calls: [CallCard]) -> String {
        if calls.contains(where: { ($0.kind == "fire" && $0.action == "notify") || $0.action == "call_failed" }) { return "red" }
        if calls.allSatisfy({ $0.action == "ack" || $0.action == "resolve" }) { return "green" }
        return "orange"
    }

    public func send(_ message: OutgoingMessage, using http: HTTPClient) async -> DeliveryOutcome {
        await RobotPost.send(
            url: settings.url, body: body(message.calls, now: message.now), settings: settings, using: http,
            now: message.now, codeKeys: ["code", "StatusCode"], messageKeys: ["msg", "StatusMessage"]
        ) { Self.decide($0, now: message.now) }
    }

    static func decide(_ answer: RobotAnswer, now: Date) -> DeliveryOutcome {
        let why = "feishu code \(answer.code): \(answer.message)"
        switch answer.code {
        case 0: return .delivered(detail: nil)
        case throttled: return .rateLimited(until: now.addingTimeInterval(60), why)
        case let code where permanent.contains(code): return .refused(why)
        default: return .retryLater(why)
        }
    }

    private struct Body: Encodable {
        var timestamp: String?
        var sign: String?
        var msg_type = "interactive"
        var card: Card
    }

    private struct Card: Encodable {
        struct Header: Encodable {
            struct Title: Encodable {
                var tag = "plain_text"
                var content: String
            }
            var template: String
            var title: Title
        }
        struct Element: Encodable {
            var tag = "markdown"
            var content: String
        }
        var header: Header
        var elements: [Element]
    }
}
