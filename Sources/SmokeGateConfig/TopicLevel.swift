/// One level of an MQTT topic: what a device id is in `smokegate/detectors/{id}/event` and a
/// unit id in `{topic_prefix}/{tier}/{id}`. One check for both, so that an id libmosquitto or
/// the broker would refuse at every message or call is reported when the configuration is
/// read, not found out when a fire is called.
enum TopicLevel {
    /// The rule, as the operator reads it after the flaw found.
    static let rule = "with no '/', '+', '#', white space or control characters"

    /// Whether `id` can be a topic level. Checked on bytes where the id is ASCII, as ids
    /// nearly always are (a million-row registry is checked in one pass).
    static func isValid(_ id: String) -> Bool {
        guard !id.isEmpty else { return false }
        if id.utf8.allSatisfy({ $0 < 0x80 }) {
            return !id.utf8.contains {
                $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") || $0 <= 0x20 || $0 == 0x7F
            }
        }
        return flaw(id) == nil
    }

    /// What is wrong with `id` as a topic level (`contains '+'`), or nil when nothing is.
    static func flaw(_ id: String) -> String? {
        guard !id.isEmpty else { return "is empty" }
        for scalar in id.unicodeScalars {
            switch scalar {
            case "/": return "contains '/'"
            case "+", "#": return "contains the wildcard '\(scalar)'"
            default: break
            }
            // MQTT forbids U+0000 in a topic and libmosquitto refuses the other control characters.
            if scalar.properties.generalCategory == .control { return "contains the control character \(code(scalar))" }
            if scalar.properties.isWhitespace { return "contains white space (\(code(scalar)))" }
            if scalar.properties.isNoncharacterCodePoint { return "contains \(code(scalar)), which is not a character" }
        }
        return nil
    }

    /// `id` for a message, its control characters and white space shown as code points.
    static func shown(_ id: String) -> String {
        id.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || (scalar.properties.isWhitespace && scalar != " ")
                ? code(scalar) : String(scalar)
        }.joined()
    }

    private static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
