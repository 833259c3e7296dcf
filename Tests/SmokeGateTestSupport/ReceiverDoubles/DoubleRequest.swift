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

/// What a double answers.
struct DoubleReply: Sendable, Equatable {
    var status: Int
    var body: String
    var contentType = "application/json;charset=utf-8"
    var retryAfter: Int?
    var location: String?

    static func json(_ object: [String: Any], status: Int = 200) -> DoubleReply {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return DoubleReply(status: status, body: String(decoding: data, as: UTF8.self))
    }

    /// A load balancer's page when the vendor behind it is down.
    static let down = DoubleReply(
        status: 503, body: "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
        contentType: "text/html")
}

/// What a vendor's double makes of a request: taken (and what it carried), or refused the
/// way the vendor refuses it.
enum DoubleCheck {
    struct Taken {
        var to: String
        var text: String
        var fields: [String: String]
        var link: String?
        var code: String?
    }
    case taken(Taken)
    case rejected(DoubleReply, String)
}

/// `application/x-www-form-urlencoded` and query strings, decoded byte by byte.
enum FormDecoding {
    static func fields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(String(parts[0]))
            out[name] = parts.count > 1 ? decode(String(parts[1])) : ""
        }
        return out
    }

    /// `%XX` to its byte, `+` to a space; a malformed escape stays as it is.
    static func decode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                out.append(value)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
