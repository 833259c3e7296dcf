/// Why a message was not turned into events. Kept with the message and counted by reason.
public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason's family: a stable name for metrics and queries.
    public enum Reason: String, Sendable, CaseIterable, Codable {
        /// Not JSON at all, or broken JSON.
        case invalidJSON = "invalid_json"
        /// Valid JSON, but not the object the format needs.
        case notAnObject = "not_an_object"
        /// A field the format requires is absent.
        case missingField = "missing_field"
        /// A field is present with the wrong type or an impossible value.
        case invalidField = "invalid_field"
        /// `type` (or the platform's status code) names nothing the gateway knows.
        case unknownType = "unknown_type"
        /// The payload's `device` disagrees with the device its topic names.
        case deviceMismatch = "device_mismatch"
        /// Over the payload size limit.
        case oversized
        /// A topic no configured source covers, or one that names no device.
        case unroutable
        /// A platform push whose signature does not verify (OneNET's token).
        case badSignature = "bad_signature"
        /// A platform push from an address the source's allow-list does not hold.
        case notAllowed = "not_allowed"
        /// A platform push over its sender's rate (`rate_limit`), answered 429 for a retry.
        case rateLimited = "rate_limited"
    }

    public let reason: Reason
    /// What exactly is wrong, for the operator.
    public let detail: String

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
