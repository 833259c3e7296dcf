import Foundation

/// One scripted answer of a double, in the vendor's own words: each vendor's double turns
/// `rateLimited` into its own code (WeCom 45009, DingTalk 130101, Feishu 11232, Aliyun
/// `isv.BUSINESS_LIMIT_CONTROL`, a webhook's 429), and so on.
public enum DoubleAnswer: Sendable, Equatable, Codable {
    /// Taken: the message reaches phones (and is recorded).
    case ok
    /// The vendor's rate limit (a webhook's 429 carries `Retry-After`).
    case rateLimited
    /// The key, token or access key is wrong or gone (a webhook: 410 Gone).
    case badKey
    /// The vendor is busy: try again (WeCom/DingTalk -1, Aliyun `isp.SYSTEM_ERROR`, a 500).
    case busy
    /// The signature is refused, as if it did not match.
    case badSignature
    /// Taken, then answered after `seconds` (recorded at once: the text has gone out).
    case slow(seconds: Double)
    /// Taken, then the connection is closed without an answer (recorded: it may have gone).
    case drop
    /// Down behind its load balancer: HTTP 503 with an HTML page, no vendor code.
    case down
    /// Exactly this: a status, a body, and `Retry-After` seconds if given (not recorded).
    case http(status: Int, body: String, retryAfter: Int?)
    /// `307 Temporary Redirect` to `location` (not recorded): a client that follows it posts
    /// the same request there.
    case redirect(to: String)

    /// Whether the message counts as received (it would reach phones).
    public var takes: Bool {
        switch self {
        case .ok, .slow, .drop: true
        default: false
        }
    }

    /// The word used in the control API and the attempts list.
    public var name: String {
        switch self {
        case .ok: "ok"
        case .rateLimited: "rate_limited"
        case .badKey: "bad_key"
        case .busy: "busy"
        case .badSignature: "bad_signature"
        case .slow: "slow"
        case .drop: "drop"
        case .down: "down"
        case .http: "http"
        case .redirect: "redirect"
        }
    }

    enum Key: String, CodingKey {
        case answer, seconds, status, body, location
        case retryAfter = "retry_after"
    }

    /// `{"answer":"ok"}`, `{"answer":"slow","seconds":10}`,
    /// `{"answer":"http","status":200,"body":"…","retry_after":30}`,
    /// `{"answer":"redirect","location":"http://…"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let word = try container.decode(String.self, forKey: .answer)
        switch word {
        case "ok": self = .ok
        case "rate_limited": self = .rateLimited
        case "bad_key": self = .badKey
        case "busy": self = .busy
        case "bad_signature": self = .badSignature
        case "slow": self = .slow(seconds: try container.decode(Double.self, forKey: .seconds))
        case "drop": self = .drop
        case "redirect": self = .redirect(to: try container.decode(String.self, forKey: .location))
        case "down": self = .down
        case "http":
            self = .http(
                status: try container.decode(Int.self, forKey: .status),
                body: try container.decodeIfPresent(String.self, forKey: .body) ?? "",
                retryAfter: try container.decodeIfPresent(Int.self, forKey: .retryAfter))
        default:
            throw DecodingError.dataCorruptedError(forKey: .answer, in: container, debugDescription: "unknown answer \(word)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(name, forKey: .answer)
        switch self {
        case .slow(let seconds): try container.encode(seconds, forKey: .seconds)
        case .http(let status, let body, let retryAfter):
            try container.encode(status, forKey: .status)
            try container.encode(body, forKey: .body)
            try container.encodeIfPresent(retryAfter, forKey: .retryAfter)
        case .redirect(let location): try container.encode(location, forKey: .location)
        default: break
        }
    }
}
