import AsyncHTTPClient
import Foundation
import SmokeGateCore

/// 企业微信群机器人: a markdown message to a WeCom group, `POST {url}` where the URL carries the
/// robot's key (the only credential). The robot answers HTTP 200 with `errcode`.
public struct WeComReceiver: Receiver {
    public let settings: ReceiverSettings
    public var text: CallText

    /// Documented: markdown content at most 4096 bytes of UTF-8.
    public static let contentLimit = 4096

    /// Codes that cannot succeed on a resend: 93000 the key is wrong or the robot was removed,
    /// 40008 a message type it does not take, 40058 a parameter it refuses (content too
    /// long), 44004 empty content. Every other nonzero code is retried.
    static let permanent: Set<Int> = [93000, 40008, 40058, 44004]

    public init(settings: ReceiverSettings, text: CallText = CallText()) {
        self.settings = settings
        self.text = text
    }

    public func fits(_ calls: [CallCard]) -> Bool {
        calls.count <= 1 || text.markdown(calls).utf8.count <= Self.contentLimit
    }

    /// The request body: `{"markdown":{"content":…},"msgtype":"markdown"}`.
    public func body(_ calls: [CallCard]) -> [UInt8] {
        JSONRequest.encode(Body(markdown: .init(content: text.markdown(calls, limit: Self.contentLimit))))
    }

    public func send(_ message: OutgoingMessage, using http: HTTPClient) async -> DeliveryOutcome {
        await RobotPost.send(
            url: settings.url, body: body(message.calls), settings: settings, using: http, now: message.now,
            codeKeys: ["errcode"], messageKeys: ["errmsg"]
        ) { Self.decide($0, now: message.now) }
    }

    static func decide(_ answer: RobotAnswer, now: Date) -> DeliveryOutcome {
        let why = "wecom errcode \(answer.code): \(answer.message)"
        switch answer.code {
        case 0: return .delivered(detail: nil)
        case 45009: return .rateLimited(until: RobotPost.nextMinute(after: now), why)
        case -1: return .retryLater(why)
        case let code where permanent.contains(code): return .refused(why)
        default: return .retryLater(why)
        }
    }

    private struct Body: Encodable {
        struct Markdown: Encodable { var content: String }
        var msgtype = "markdown"
        var markdown: Markdown
    }
}
