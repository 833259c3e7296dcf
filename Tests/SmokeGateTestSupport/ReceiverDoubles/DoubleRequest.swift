import Foundation

/// A request as a double sees it, before any vendor reads it.
struct DoubleRequest: Sendable {
    var method: String
    var path: String
    /// The query as sent, still percent-encoded.
    var query: String
    /// Header values by lower-cased name.
    var headers: [String: String]
    var body: [UInt8]

    /// The query's fields, decoded the way a servlet container decodes them (`+` is a space).
    var queryFields: [String: String] { FormDecoding.fields(query) }

    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
}
