import Crypto
import Foundation

/// 钉钉自定义机器人: `POST /robot/send?access_token=T&timestamp=MS&sign=S`; a robot that signs
/// checks `S` = urlencode(base64(HMAC-SHA256(key: secret, message: MS "\n" secret))) with MS
/// within an hour of its clock; answers HTTP 200 with `errcode`.
enum DingTalkDouble {
    static func check(_ request: DoubleRequest, credentials: DoubleCredentials, now: Date) -> DoubleCheck {
        let query = request.queryFields
        let token = query["access_token"] ?? ""
        guard !token.isEmpty, credentials.dingtalkTokens.isEmpty || credentials.dingtalkTokens.contains(token) else {
            return .rejected(reply(300001, "token is not exist"), "unknown token")
        }
        if let secret = credentials.dingtalkSecret {
            guard let timestamp = query["timestamp"], let milliseconds = Double(timestamp), let sign = query["sign"] else {
                return .rejected(reply(310000, "sign not match"), "no timestamp or sign")
            }
            guard abs(now.timeIntervalSince1970 - milliseconds / 1000) <= 3600 else {
                return .rejected(reply(310000, "invalid timestamp"), "timestamp more than an hour away")
            }
            guard sign == expectedSign(timestamp: timestamp, secret: secret) else {
                return .rejected(reply(310000, "sign not match"), "signature does not match")
            }
        }
        guard let json = request.json, let type = json["msgtype"] as? String, let part = json[type] as? [String: Any] else {
            return .rejected(reply(400105, "不支持的消息类型"), "no msgtype")
        }
        var fields = ["msgtype": type]
        let text: String
        var link: String?
        switch type {
        case "markdown":
            guard let title = part["title"] as? String, let body = part["text"] as? String else {
                return .rejected(reply(400105, "markdown 缺少 title 或 text"), "markdown without title or text")
            }
            fields["title"] = title
            fields["content"] = body
            text = PhoneText.fromMarkdown(body)
            link = PhoneText.link(in: body)
        case "actionCard":
            guard let title = part["title"] as? String, let body = part["text"] as? String else {
                return .rejected(reply(400105, "actionCard 缺少 title 或 text"), "actionCard without title or text")
            }
            fields["title"] = title
            fields["content"] = body
            link = part["singleURL"] as? String ?? PhoneText.link(in: body)
            text = PhoneText.fromMarkdown(body) + (link.map { "\n\(part["singleTitle"] as? String ?? "查看") <\($0)>" } ?? "")
        case "text":
            guard let body = part["content"] as? String else {
                return .rejected(reply(400105, "text 缺少 content"), "text without content")
            }
            fields["content"] = body
            text = body
        default:
            return .rejected(reply(400105, "不支持的消息类型"), "msgtype \(type)")
        }
        return .taken(.init(to: token, text: text, fields: fields, link: link, code: nil))
    }

    /// The sign DingTalk's documentation computes, URL-encoded as its samples do.
    static func expectedSign(timestamp: String, secret: String) -> String {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8)))
        mac.update(data: Array("\(timestamp)\n\(secret)".utf8))
        let base64 = Data(mac.finalize()).base64EncodedString()
        // The query was decoded once on arrival; the sign sent was encoded once: compare base64.
        return base64
    }

    static func reply(_ code: Int, _ message: String) -> DoubleReply { .json(["errcode": code, "errmsg": message]) }

    static func answer(_ answer: DoubleAnswer) -> DoubleReply {
        switch answer {
        case .rateLimited: reply(130101, "send too fast, exceed 20 times per minute")
        case .badKey: reply(300001, "token is not exist")
        case .badSignature: reply(310000, "sign not match")
        case .busy: reply(-1, "系统繁忙")
        default: reply(0, "ok")
        }
    }
}
