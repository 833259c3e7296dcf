import Foundation

/// Where recorded lines go: a file or standard output, written through as they come.
final class ScenarioSink: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    init(path: String?) throws {
        guard let path else {
            handle = .standardOutput
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw SimulatorError("cannot write \(path)")
        }
        self.handle = handle
    }

    func write(_ line: String) {
        lock.withLock { handle.write(Data((line + "\n").utf8)) }
    }

    func close() throws {
        try lock.withLock { if handle !== FileHandle.standardOutput { try handle.close() } }
    }

    /// One scenario line holding the payload's exact bytes.
    static func line(at seconds: Double, topic: String, payload: [UInt8]) -> String {
        let body: String
        if let text = String(validating: payload, as: UTF8.self) {
            body = "\"payload_text\": \(quoted(text))"
        } else {
            body = "\"payload_base64\": \(quoted(Data(payload).base64EncodedString()))"
        }
        return "{\"at\": \(String(format: "%.3f", seconds)), \"topic\": \(quoted(topic)), \(body)}"
    }

    private static func quoted(_ text: String) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
