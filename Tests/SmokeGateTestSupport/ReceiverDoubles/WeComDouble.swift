import Foundation

/// 企业微信群机器人 as the doubles see it: `POST /cgi-bin/webhook/send?key=K`, JSON `markdown`
/// (content at most 4096 bytes) or `text` (at most 2048); answers HTTP 200 with `errcode`.
enum WeComDouble {
    static func check(_ request: DoubleRequest, credentials: DoubleCredentials) -> DoubleCheck {
        let key = request.queryFields["key"] ?? ""
        guard !key.isEmpty, credentials.wecomKeys.isEmpty || credentials.wecomKeys.contains(key) else {
            return .rejected(reply(93000, "invalid webhook url"), "unknown key")
        }
        guard let json = request.json, let type = json["msgtype"] as? String else {
            return .rejected(reply(40008, "invalid message type"), "no msgtype")
        }
        let content: String
        switch type {
        case "markdown", "text":
            guard let part = json[type] as? [String: Any], let value = part["content"] as? String, !value.isEmpty else {
                return .rejected(reply(44004, "empty content"), "no \(type).content")
            }
            let limit = type == "markdown" ? 4096 : 2048
            guard value.utf8.count <= limit else {
                return .rejected(reply(40058, "\(type).content exceed max length \(limit)"), "content over \(limit) bytes")
            }
            content = value
        default:
            return .rejected(reply(40008, "invalid message type"), "msgtype \(type)")
        }
        return .taken(
            .init(
                to: key, text: PhoneText.fromMarkdown(content), fields: ["msgtype": type, "content": content],
                link: PhoneText.link(in: content), code: nil))
    }

    static func reply(_ code: Int, _ message: String) -> DoubleReply {
        .json([
            "errcode": code,
            "errmsg": code == 0
                ? "ok" : "\(message), hint: [double], more info at https://open.work.weixin.qq.com/devtool/query?e=\(code)",
        ])
    }

    static func answer(_ answer: DoubleAnswer) -> DoubleReply {
        switch answer {
        case .rateLimited: reply(45009, "api freq out of limit")
        case .badKey, .badSignature: reply(93000, "invalid webhook url")
        case .busy: reply(-1, "system busy")
        default: reply(0, "ok")
        }
    }
}
