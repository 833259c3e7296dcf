import AsyncHTTPClient
import Crypto
import Foundation
import SmokeGateCore

/// A responder's own system, by Standard Webhooks: `POST` of the stored notification plus
/// `answer_url`, with `webhook-id` (the notification id, the same on every retry, so the
/// receiver drops repeats), `webhook-timestamp` (seconds) and `webhook-signature`
/// (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the base64 part of a
/// `whsec_` secret). The outcome is the status's: see `StatusOutcome`.
public struct WebhookReceiver: Receiver {
    public let settings: ReceiverSettings

    public init(settings: ReceiverSettings) {
        self.settings = settings
    }

    /// The key a `whsec_` secret names (the prefix is optional), or nil if it is not base64.
    public static func key(fromSecret secret: String) -> [UInt8]? {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let data = Data(base64Encoded: encoded), !data.isEmpty else { return nil }
        return Array(data)
    }

    /// `v1,<base64 signature>` of `id.timestamp.body`.
    public static func signature(id: String, timestamp: Int64, body: [UInt8], key: [UInt8]) -> String {
        let content = Array("\(id).\(timestamp).".utf8) + body
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The three headers for `body`, sent at `now`; nil when the secret is not a key.
    public func headers(for call: CallCard, body: [UInt8], now: Date) -> [(String, String)]? {
        let timestamp = Int64(now.timeIntervalSince1970.rounded(.down))
        var headers = [("webhook-id", call.notification), ("webhook-timestamp", String(timestamp))]
        if let secret = settings.secret, !secret.isEmpty {
            guard let key = Self.key(fromSecret: secret) else { return nil }
            headers.append(
                ("webhook-signature", Self.signature(id: call.notification, timestamp: timestamp, body: body, key: key)))
        }
        return headers
    }

    public func send(_ message: OutgoingMessage, using http: HTTPClient) async -> DeliveryOutcome {
        guard message.calls.count == 1, let call = message.calls.first else {
            return .refused("webhook: one call per message, got \(message.calls.count)")
        }
        let body = Array(call.payloadWithAnswer.utf8)
        guard let headers = headers(for: call, body: body, now: message.now) else {
            return .refused("webhook: the secret is not a whsec_ base64 key")
        }
        guard let request = JSONRequest.make(url: settings.url, body: body, headers: headers) else {
            return .refused("webhook: the configured URL is not a valid http(s) URL")
        }
        let result = await HTTPExchange.perform(request, using: http, timeout: settings.timeout)
        if let failed = HTTPExchange.outcome(of: result, kind: settings.kind) { return failed }
        guard case .answered(let status, let answerHeaders, _) = result else { return .retryLater("webhook: no answer") }
        return StatusOutcome.decide(status: status, headers: answerHeaders, now: message.now, vendor: "webhook")
    }
}
