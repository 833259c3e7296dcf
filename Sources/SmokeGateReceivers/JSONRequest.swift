import AsyncHTTPClient
import Foundation

/// A POST of a JSON body, or nil when `url` is not an http(s) URL.
enum JSONRequest {
    static func make(url: String, body: [UInt8], headers: [(String, String)] = []) -> HTTPClient.Request? {
        guard url.hasPrefix("http://") || url.hasPrefix("https://"),
            var request = try? HTTPClient.Request(url: url, method: .POST)
        else { return nil }
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(body)
        return request
    }

    /// Bytes of an `Encodable` as compact JSON with sorted keys, `/` unescaped.
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, numbers and arrays and objects of them always encode.
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }
}
