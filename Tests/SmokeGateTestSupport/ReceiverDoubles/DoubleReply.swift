import Foundation

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
