import SmokeGateCore

/// An NB-IoT platform's HTTP push, served on `http.listen`: `sources: - { http: PATH, format: … }`.
///
/// The push endpoints face the internet (platforms push from their own clouds), so each one
/// is guarded: its path is a secret, the senders may be limited to known addresses, a body
/// has a size limit and a sender a rate.
public struct PushSource: Sendable, Equatable {
    /// The request path, whose last segment is a secret (at least `shortestSecret` characters).
    public var path: String
    /// `ctwing`, `onenet` or `iotda`.
    public var format: PayloadFormat
    /// OneNET's token (`token_file`): it signs the URL check and every push.
    public var token: [UInt8]?
    /// Addresses allowed to push (`allow:`); empty allows any.
    public var allowed: [AddressRange]
    /// The largest body taken (`body_limit`, bytes); a larger one is answered 413 and recorded.
    public var bodyLimit: Int
    /// Pushes a second taken from one sender address (`rate_limit`), with a burst of twice as
    /// many; more are answered 429, which every platform retries.
    public var rateLimit: Int

    public static let defaultBodyLimit = 64 * 1_024
    public static let defaultRateLimit = 500
    /// The fewest characters of the path's secret segment (16 bytes of `openssl rand -hex 16`
    /// give 32).
    public static let shortestSecret = 16

    public init(
        path: String, format: PayloadFormat, token: [UInt8]? = nil, allowed: [AddressRange] = [],
        bodyLimit: Int = Self.defaultBodyLimit, rateLimit: Int = Self.defaultRateLimit
    ) {
        self.path = path
        self.format = format
        self.token = token
        self.allowed = allowed
        self.bodyLimit = bodyLimit
        self.rateLimit = rateLimit
    }

    /// How the source is named in records, logs and metrics: never by its secret path.
    public var name: String { "push:\(format.rawValue)" }

    /// Whether `address` (as text, IPv4 or IPv6) may push here.
    public func allows(_ address: String?) -> Bool {
        guard !allowed.isEmpty else { return true }
        guard let address, let parsed = AddressRange.bytes(of: address) else { return false }
        return allowed.contains { $0.contains(parsed) }
    }
}
