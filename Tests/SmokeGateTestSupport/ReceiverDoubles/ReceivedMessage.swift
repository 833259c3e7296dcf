import Foundation

/// One message a double took, as the people it was for would see it.
public struct ReceivedMessage: Sendable, Equatable, Codable {
    public var vendor: DoubleVendor
    /// When the request arrived.
    public var at: Date
    /// The robot key or token, the phone number, or the webhook path: which group or person.
    public var to: String
    /// What a phone shows: markdown turned into plain lines, a template filled in.
    public var text: String
    /// The request's parsed fields (`msgtype`, `title`, `PhoneNumbers`, `TemplateParam`,
    /// `OutId`, `webhook-id`, …; a template's values as `param.kind` and so on).
    public var fields: [String: String]
    /// The answer link the message carries, if any.
    public var link: String?
    /// The SMS answer code, if any.
    public var code: String?
    /// What the double answered (`ok`, `slow`, `drop`).
    public var answer: String

    public init(
        vendor: DoubleVendor, at: Date, to: String, text: String, fields: [String: String], link: String?, code: String?,
        answer: String
    ) {
        self.vendor = vendor
        self.at = at
        self.to = to
        self.text = text
        self.fields = fields
        self.link = link
        self.code = code
        self.answer = answer
    }

    /// The demo's print-out: a header line, then the text as the phone shows it.
    public var printout: String {
        let clock = ISO8601DateFormatter.string(
            from: at, timeZone: .current, formatOptions: [.withTime, .withColonSeparatorInTime])
        return "── \(vendor.displayName) → \(to) \(clock) ──\n\(text)\n"
    }
}
