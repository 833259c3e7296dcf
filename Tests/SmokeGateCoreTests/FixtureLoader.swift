import Foundation
import SmokeGateCore

/// Reads the JSON Lines fixtures beside the tests into raw messages, as the broker would
/// deliver them.
enum FixtureLoader {
    struct Line {
        var number: Int
        var message: RawMessage
        var expect: String?
        /// The kinds of the events the line must yield, where the file says.
        var events: [String]?
        /// The optional fields the decoder must drop and note (`dropped`), by name.
        var dropped: [String]
    }

    static func lines(_ path: String) throws -> [Line] {
        guard let url = Bundle.module.url(forResource: "Fixtures/" + path, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines: [Line] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let payload: [UInt8]
            if let text = object["payload_text"] as? String {
                payload = Array(text.utf8)
            } else {
                payload = Array(
                    try JSONSerialization.data(withJSONObject: object["payload"]!, options: [.withoutEscapingSlashes]))
            }
            lines.append(
                Line(
                    number: index + 1,
                    message: RawMessage(topic: object["topic"] as! String, payload: payload, receivedAt: testEpoch),
                    expect: object["expect"] as? String, events: object["events"] as? [String],
                    dropped: object["dropped"] as? [String] ?? []))
        }
        return lines
    }

    static let testEpoch = Date(timeIntervalSince1970: 1_795_334_400)
}

extension DecodeOutcome {
    var kinds: [EventKind]? {
        if case .accepted(let decoded) = self { return decoded.events.map(\.kind) }
        return nil
    }

    var rejection: Rejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }
}
