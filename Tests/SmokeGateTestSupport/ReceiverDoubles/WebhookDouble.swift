import Crypto
import Foundation

/// A responder's system taking Standard Webhooks at `/hooks/{name}`: `webhook-id`,
/// `webhook-timestamp` within five minutes, and one of the space-separated
/// `webhook-signature` entries `v1,<base64 HMAC-SHA256(key, id.timestamp.body)>` with the key
/// the base64 part of the `whsec_` secret. Refuses as the standard's libraries do: 400 for a
/// malformed request or stale timestamp, 401 for a signature that does not match.
enum WebhookDouble {
    static func check(_ request: DoubleRequest, name: String, credentials: DoubleCredentials, now: Date) -> DoubleCheck {
        guard let id = request.headers["webhook-id"], let stamp = request.headers["webhook-timestamp"],
            let seconds = Int64(stamp)
        else {
            return .rejected(
                DoubleReply(status: 400, body: "missing webhook headers", contentType: "text/plain"), "missing headers")
        }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= 300 else {
            return .rejected(
                DoubleReply(status: 400, body: "timestamp too old or too new", contentType: "text/plain"), "stale timestamp")
        }
        if let secret = credentials.webhookSecret {
            let offered = (request.headers["webhook-signature"] ?? "").split(separator: " ").map(String.init)
            let expected = "v1," + signature(id: id, timestamp: stamp, body: request.body, secret: secret)
            guard offered.contains(expected) else {
                return .rejected(
                    DoubleReply(status: 401, body: "no matching signature", contentType: "text/plain"), "signature does not match"
                )
            }
        }
        guard let json = request.json else {
            return .rejected(
                DoubleReply(status: 400, body: "body is not a JSON object", contentType: "text/plain"), "body not JSON")
        }
        let link = json["answer_url"] as? String
        var fields = ["webhook-id": id, "webhook-timestamp": stamp, "body": String(decoding: request.body, as: UTF8.self)]
        for name in ["notification", "action", "kind", "tier", "unit", "device", "address"] {
            if let value = json[name] as? String { fields[name] = value }
        }
        if let incident = json["incident"] as? NSNumber { fields["incident"] = incident.stringValue }
        let summary = [fields["kind"], fields["action"], fields["tier"], fields["unit"], fields["address"]]
            .compactMap { $0 }.joined(separator: " ")
        let text = "webhook \(id): \(summary)" + (link.map { "\n\($0)" } ?? "")
        return .taken(.init(to: name, text: text, fields: fields, link: link, code: nil))
    }

    /// The standard's signature: base64 of HMAC-SHA256 over `id.timestamp.body`.
    static func signature(id: String, timestamp: String, body: [UInt8], secret: String) -> String {
        var base64 = Substring(secret)
        if base64.hasPrefix("whsec_") { base64 = base64.dropFirst("whsec_".count) }
        let key = SymmetricKey(data: Data(base64Encoded: String(base64)) ?? Data())
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Array(id.utf8))
        mac.update(data: [UInt8(ascii: ".")])
        mac.update(data: Array(timestamp.utf8))
        mac.update(data: [UInt8(ascii: ".")])
        mac.update(data: body)
        return Data(mac.finalize()).base64EncodedString()
    }

    static func answer(_ answer: DoubleAnswer) -> DoubleReply {
        switch answer {
        case .rateLimited: DoubleReply(status: 429, body: "slow down", contentType: "text/plain", retryAfter: 30)
        case .badKey: DoubleReply(status: 410, body: "endpoint disabled", contentType: "text/plain")
        case .badSignature: DoubleReply(status: 401, body: "no matching signature", contentType: "text/plain")
        case .busy: DoubleReply(status: 500, body: "internal error", contentType: "text/plain")
        default: DoubleReply(status: 204, body: "", contentType: "text/plain")
        }
    }
}
