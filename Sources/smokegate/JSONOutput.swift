import Foundation
import SmokeGateCore

/// Prints one JSON value on stdout: keys sorted, times in RFC 3339 UTC.
enum JSONOutput {
    static func print(_ value: Any) {
        let data = try! JSONSerialization.data(
            withJSONObject: value, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    static func time(_ date: Date?) -> Any {
        date.map { RFC3339.format($0) } ?? NSNull()
    }

    static func optional(_ value: Any?) -> Any {
        value ?? NSNull()
    }
}
