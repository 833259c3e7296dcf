import Crypto
import Foundation

/// 飞书自定义机器人: `POST /open-apis/bot/v2/hook/T`, a body of at most 20 KB with `msg_type`;
/// a bot that signs checks `sign` = base64(HMAC-SHA256(key: timestamp "\n" secret, message:
/// empty)) with the timestamp (seconds) within an hour; answers with `code`.
enum FeishuDouble {
    static func check(_ request: DoubleRequest, token: String, credentials: DoubleCredentials, now: Date) -> DoubleCheck {
        guard !token.isEmpty, credentials.feishuTokens.isEmpty || credentials.feishuTokens.contains(token) else {
            return .rejected(reply(19001, "param invalid: incoming webhook access token invalid"), "unknown token")
        }
        guard request.body.count <= 20 * 1024 else {
            return .rejected(reply(9499, "Bad Request: request body too large"), "body over 20 KB")
        }
        guard let json = request.json, let type = json["msg_type"] as? String else {
            return .rejected(reply(9499, "Bad Request"), "no msg_type")
        }
        if let secret = credentials.feishuSecret {
            guard let timestamp = json["timestamp"] as? String, let seconds = Double(timestamp),
                let sign = json["sign"] as? String,
                abs(now.timeIntervalSince1970 - seconds) <= 3600, sign == expectedSign(timestamp: timestamp, secret: secret)
            else {
                return .rejected(
                    reply(19021, "sign match fail or timestamp is not within one hour from current time"),
                    "signature or timestamp refused")
            }
        }
        var lines: [String] = []
        var link: String?
        switch type {
        case "interactive":
            guard let card = json["card"] as? [String: Any] else { return .rejected(reply(9499, "Bad Request"), "no card") }
            if let header = card["header"] as? [String: Any], let title = header["title"] as? [String: Any],
                let words = title["content"] as? String
            {
                lines.append(words)
            }
            for element in card["elements"] as? [[String: Any]] ?? [] {
                let words = element["content"] as? String ?? (element["text"] as? [String: Any])?["content"] as? String
                if let words {
                    lines.append(PhoneText.fromMarkdown(words))
                    link = link ?? PhoneText.link(in: words)
                }
                for action in element["actions"] as? [[String: Any]] ?? [] {
                    if let url = action["url"] as? String {
                        lines.append("\((action["text"] as? [String: Any])?["content"] as? String ?? "查看") <\(url)>")
                        link = link ?? url
                    }
                }
            }
        case "post":
            let post = ((json["content"] as? [String: Any])?["post"] as? [String: Any])?["zh_cn"] as? [String: Any]
            guard let post else { return .rejected(reply(9499, "Bad Request"), "no content.post.zh_cn") }
            if let title = post["title"] as? String { lines.append(title) }
            for paragraph in post["content"] as? [[[String: Any]]] ?? [] {
                var line = ""
                for node in paragraph {
                    let words = node["text"] as? String ?? ""
                    if node["tag"] as? String == "a", let href = node["href"] as? String {
                        line += "\(words) <\(href)>"
                        link = link ?? href
                    } else {
                        line += words
                    }
                }
                lines.append(line)
            }
        case "text":
            lines.append((json["content"] as? [String: Any])?["text"] as? String ?? "")
        default:
            return .rejected(reply(9499, "Bad Request: msg_type \(type)"), "msg_type \(type)")
        }
        return .taken(
            .init(
                to: token, text: lines.filter { !$0.isEmpty }.joined(separator: "\n"),
                fields: ["msg_type": type, "content": String(decoding: request.body, as: UTF8.self)], link: link, code: nil))
    }

    /// Feishu's documented sign: the HMAC's key is the timestamp and secret, its message empty.
    static func expectedSign(timestamp: String, secret: String) -> String {
        let mac = HMAC<SHA256>(key: SymmetricKey(data: Array("\(timestamp)\n\(secret)".utf8))).finalize()
        return Data(mac).base64EncodedString()
    }

    static func reply(_ code: Int, _ message: String) -> DoubleReply {
        code == 0
            ? .json(["StatusCode": 0, "StatusMessage": "success", "code": 0, "data": [String: Any](), "msg": "success"])
            : .json(["code": code, "msg": message, "data": [String: Any]()])
    }

    static func answer(_ answer: DoubleAnswer) -> DoubleReply {
        switch answer {
        case .rateLimited: reply(11232, "frequency limited")
        case .badKey: reply(19001, "param invalid: incoming webhook access token invalid")
        case .badSignature: reply(19021, "sign match fail or timestamp is not within one hour from current time")
        case .busy: DoubleReply(status: 500, body: "Internal Server Error", contentType: "text/plain")
        default: reply(0, "success")
        }
    }
}
