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
