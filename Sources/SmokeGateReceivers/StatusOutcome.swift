import Foundation
import NIOHTTP1
import SmokeGateCore

/// What an HTTP status alone says, for answers that carry no vendor code: a webhook's every
/// answer, and a robot's or Aliyun's answer when a proxy in front of the vendor spoke
/// instead (an HTML 502). As Standard Webhooks sets it: 2xx taken, 410 gone for good,
/// 429/502/503/504 throttled (honouring `Retry-After`), 3xx and other 4xx refused, other 5xx
/// retried. 408 is the one 4xx retried: the server gave up waiting for the request.
enum StatusOutcome {
    static func decide(status: Int, headers: HTTPHeaders, now: Date, vendor: String) -> DeliveryOutcome {
        let why = "\(vendor) answered HTTP \(status)"
        let retryAfter = RetryAfter.parse(headers.first(name: "retry-after"), now: now)
        switch status {
        case 200..<300: return .delivered(detail: nil)
        case 410: return .refused(why + " (gone)")
        case 429: return .rateLimited(until: retryAfter, why)
        case 502, 503, 504:
            if let retryAfter { return .rateLimited(until: retryAfter, why) }
            return .retryLater(why)
        case 408: return .retryLater(why)
        case 300..<400: return .refused(why + " (a redirect is a failure)")
        case 400..<500: return .refused(why)
        default: return .retryLater(why)
        }
    }
}

/// `Retry-After`: seconds, or an HTTP date.
enum RetryAfter {
    static func parse(_ value: String?, now: Date) -> Date? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return seconds >= 0 ? now.addingTimeInterval(Double(seconds)) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value)
    }
}

/// A robot's answer body: `{"errcode":…,"errmsg":…}` (WeCom, DingTalk) or `{"code":…,"msg":…}`
/// (Feishu, whose older answers say `StatusCode`/`StatusMessage`).
struct RobotAnswer {
    var code: Int
    var message: String

    init?(_ body: [UInt8], codeKeys: [String], messageKeys: [String]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        guard let code = codeKeys.lazy.compactMap({ (object[$0] as? NSNumber)?.intValue }).first else { return nil }
        self.code = code
        message = Self.shorten(messageKeys.lazy.compactMap { object[$0] as? String }.first ?? "")
    }

    /// The vendor's words without the trailing hint and help link, at most 160 characters.
    static func shorten(_ message: String) -> String {
        var text = message
        for marker in [", hint:", ", more info at", ", more:"] {
            if let range = text.range(of: marker) { text = String(text[..<range.lowerBound]) }
        }
        return String(text.prefix(160))
    }
}
