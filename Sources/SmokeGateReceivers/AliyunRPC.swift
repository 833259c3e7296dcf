import AsyncHTTPClient
import Crypto
import Foundation
import NIOHTTP1
import SmokeGateCore

/// Aliyun's RPC API with signature V2, shared by SMS (`SendSms`) and voice
/// (`SingleCallByTts`): the common parameters, parameters sorted by name, RFC 3986
/// percent-encoding, `StringToSign = METHOD&%2F&pct(canonical query)` and
/// `Signature = base64(HMAC-SHA1(key: secret + "&", StringToSign))`, sent as a POST form.
public enum AliyunRPC {
    /// Both products' API version.
    public static let version = "2017-05-25"

    /// RFC 3986: everything but `A–Z a–z 0–9 - _ . ~` as `%XX` of its UTF-8 bytes.
    public static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// `k=v&…`, encoded, sorted by name in byte order.
    public static func canonicalQuery(_ parameters: [String: String]) -> String {
        parameters.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { percentEncode($0.key) + "=" + percentEncode($0.value) }
            .joined(separator: "&")
    }

    public static func stringToSign(method: String, parameters: [String: String]) -> String {
        method + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery(parameters))
    }

    /// The `Signature` of `parameters` (without `Signature` itself).
    public static func signature(method: String, parameters: [String: String], secret: String) -> String {
        let key = SymmetricKey(data: Data((secret + "&").utf8))
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Data(stringToSign(method: method, parameters: parameters).utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC.
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", p.year ?? 0, p.month ?? 0, p.day ?? 0, p.hour ?? 0, p.minute ?? 0,
            p.second ?? 0)
    }

    /// The common parameters of one request.
    public static func common(action: String, accessKeyID: String, now: Date, nonce: String) -> [String: String] {
        [
            "AccessKeyId": accessKeyID, "Action": action, "Format": "JSON", "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce, "SignatureVersion": "1.0",
            "Timestamp": timestamp(now), "Version": version,
        ]
    }

    /// The form body of a signed request: every parameter and `Signature`.
    public static func signedForm(_ parameters: [String: String], secret: String) -> String {
        canonicalQuery(parameters) + "&Signature="
            + percentEncode(signature(method: "POST", parameters: parameters, secret: secret))
    }

    /// Sends `action` with `parameters` and decides the outcome from Aliyun's `Code`.
    /// `receipt` names the member that identifies what was sent (`BizId`, `CallId`).
    static func send(
        action: String, parameters: [String: String], settings: ReceiverSettings, now: Date, receipt: String,
        using http: HTTPClient
    ) async -> DeliveryOutcome {
        let vendor = settings.kind.rawValue
        guard let accessKeyID = settings.accessKeyID, !accessKeyID.isEmpty, let secret = settings.secret, !secret.isEmpty else {
            return .refused("\(vendor): no access key configured")
        }
        guard settings.url.hasPrefix("http://") || settings.url.hasPrefix("https://"),
            var request = try? HTTPClient.Request(url: settings.url, method: .POST)
        else { return .refused("\(vendor): the configured endpoint is not a valid http(s) URL") }
        let all = common(action: action, accessKeyID: accessKeyID, now: now, nonce: UUID().uuidString)
            .merging(parameters) { common, _ in common }
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        // A fresh connection for each text: a request written onto a pooled connection the
        // server had just closed would be a lost answer, and a text is never resent blindly.
        request.headers.add(name: "Connection", value: "close")
        request.body = .bytes(Array(signedForm(all, secret: secret).utf8))
        let result = await HTTPExchange.perform(request, using: http, timeout: settings.timeout)
        if let failed = HTTPExchange.outcome(of: result, kind: settings.kind) { return failed }
        guard case .answered(let status, let headers, let body) = result else { return .unknown("\(vendor): no answer") }
        return decide(status: status, headers: headers, body: body, now: now, vendor: vendor, receipt: receipt)
    }

    /// `OK` delivered; `isv.BUSINESS_LIMIT_CONTROL` (the per-number flow control) and
    /// `Throttling*` rate-limited; `isp.SYSTEM_ERROR`, `ServiceUnavailable`, `InternalError`,
    /// `SignatureNonceUsed` retried; other `isv.*` and any other code in a 4xx or 2xx answer
    /// refused for good (bad signature, key, template, number); any other code in a 5xx retried.
    static func decide(status: Int, headers: HTTPHeaders, body: [UInt8], now: Date, vendor: String, receipt: String)
        -> DeliveryOutcome
    {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let code = object["Code"] as? String
        else {
            if (200..<300).contains(status) { return .unknown("\(vendor) answered HTTP \(status) without a code") }
            return StatusOutcome.decide(status: status, headers: headers, now: now, vendor: vendor)
        }
        let message = RobotAnswer.shorten(object["Message"] as? String ?? "")
        let why = "\(vendor) \(code): \(message)"
        switch code {
        case "OK": return .delivered(detail: (object[receipt] as? String).map { "\(receipt) \($0)" })
        case "isv.BUSINESS_LIMIT_CONTROL": return .rateLimited(until: limitWindow(message, now: now), why)
        case _ where code.hasPrefix("Throttling"): return .rateLimited(until: now.addingTimeInterval(60), why)
        case "isp.SYSTEM_ERROR", "ServiceUnavailable", "InternalError", "SignatureNonceUsed": return .retryLater(why)
        case _ where code.hasPrefix("isv."): return .refused(why)
        case _ where (500..<600).contains(status): return .retryLater(why)
        default: return .refused(why)
        }
    }

    /// When flow control lifts, from the window Aliyun names (分钟级 a minute, 小时级 an hour,
    /// 天级 the day, which ends at midnight in China); a minute when it names none, so a
    /// misread costs one more refusal rather than a day of silence.
    static func limitWindow(_ message: String, now: Date) -> Date {
        if message.contains("天级") || message.contains("日") {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            let start = calendar.startOfDay(for: now)
            return calendar.date(byAdding: .day, value: 1, to: start) ?? now.addingTimeInterval(86_400)
        }
        if message.contains("小时") { return now.addingTimeInterval(3600) }
        return now.addingTimeInterval(60)
    }
}
