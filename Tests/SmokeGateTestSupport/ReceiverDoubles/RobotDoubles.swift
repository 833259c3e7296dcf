import Crypto
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
