/// `answer:` in the main configuration: how people answer a call from their phone.
public struct AnswerSettings: Sendable, Equatable, CustomStringConvertible {
    /// How phones reach `http.listen` (usually through a TLS reverse proxy), without a
    /// trailing slash: links are `{base_url}/answer/{token}`.
    public var baseURL: String
    /// The key that signs links (the bytes of `secret_file`).
    public var key: [UInt8]
    /// How long a link works after the call it came with.
    public var validFor: Duration
    /// The secret path segment of the SMS reply endpoint, `POST /answer/sms/{smsPath}`.
    public var smsReplyPath: String?

    public init(baseURL: String, key: [UInt8], validFor: Duration = .seconds(86_400), smsReplyPath: String? = nil) {
        self.baseURL = baseURL
        self.key = key
        self.validFor = validFor
        self.smsReplyPath = smsReplyPath
    }

    public var description: String { "answer links at \(baseURL), valid for \(validFor)" }
}
