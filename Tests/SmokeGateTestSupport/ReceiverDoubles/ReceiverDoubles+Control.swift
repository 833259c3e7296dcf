import Foundation
import Hummingbird

/// The doubles' HTTP control API, for tests that run the real binaries in other processes:
///
/// - `POST /_control/{vendor}` with a script, `{"answers":[{"answer":"rate_limited"},
///   {"answer":"slow","seconds":10}],"thereafter":{"answer":"ok"}}`: 204.
/// - `POST /_control/refuse` with `{"seconds":120}`: 202, then nothing listens for that long.
/// - `POST /_control/reset`: forgets messages, attempts and scripts; 204.
/// - `GET /_received[?vendor=wecom]`: the messages taken, as a JSON array.
/// - `GET /_attempts`: every request seen, taken or not.
extension ReceiverDoubles {
    func addControl(to router: Router<DoubleContext>) {
        router.post("/_control/{vendor}") { request, context -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            let word = context.parameters.get("vendor") ?? ""
            switch word {
            case "reset":
                self.reset()
                return Response(status: .noContent)
            case "refuse":
                let order = try? JSONDecoder().decode(Refusal.self, from: Data(buffer: body))
                guard let seconds = order?.seconds, seconds > 0, seconds <= 3600 else {
                    return self.response(DoubleReply(status: 400, body: "{\"error\":\"seconds: 0 < s <= 3600\"}"))
                }
                Task.detached {
                    try? await Task.sleep(for: .milliseconds(100))
                    try? await self.refuseConnections(for: .milliseconds(Int(seconds * 1000)))
                }
                return Response(status: .accepted)
            default:
                guard let vendor = DoubleVendor(rawValue: word) else {
                    return self.response(DoubleReply(status: 404, body: "{\"error\":\"no vendor \(word)\"}"))
                }
                do {
                    self.script(vendor, try JSONDecoder().decode(DoubleScript.self, from: Data(buffer: body)))
                } catch {
                    return self.response(DoubleReply(status: 400, body: "{\"error\":\"not a script\"}"))
                }
                return Response(status: .noContent)
            }
        }
        router.get("/_received") { request, _ -> Response in
            let vendor = request.uri.queryParameters.get("vendor").flatMap(DoubleVendor.init(rawValue:))
            let list = vendor.map { self.received($0) } ?? self.received
            return self.response(DoubleReply(status: 200, body: Self.json(list)))
        }
        router.get("/_attempts") { _, _ -> Response in
            self.response(DoubleReply(status: 200, body: Self.json(self.attempts)))
        }
    }

    private struct Refusal: Decodable { var seconds: Double }

    /// JSON with dates as RFC 3339 with milliseconds.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            var container = encoder.singleValueContainer()
            try container.encode(formatter.string(from: date))
        }
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// Reads what `GET /_received` answered.
    public static func decodeReceived(_ json: String) -> [ReceivedMessage]? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let date = formatter.date(from: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date"))
            }
            return date
        }
        return try? decoder.decode([ReceivedMessage].self, from: Data(json.utf8))
    }
}
