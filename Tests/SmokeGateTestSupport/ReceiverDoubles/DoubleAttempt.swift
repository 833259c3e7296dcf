import Foundation

/// One request a double saw, taken or not, and why not.
public struct DoubleAttempt: Sendable, Equatable, Codable {
    public var vendor: DoubleVendor
    public var at: Date
    /// The answer given (`ok`, `rate_limited`, …, or `rejected`).
    public var answer: String
    /// Why the request itself was refused (bad signature, a field missing), if it was.
    public var rejection: String?

    public init(vendor: DoubleVendor, at: Date, answer: String, rejection: String?) {
        self.vendor = vendor
        self.at = at
        self.answer = answer
        self.rejection = rejection
    }
}
