import Foundation
import SmokeGateCore

/// Prints one JSON value on stdout: keys sorted, two-space indentation, times in RFC 3339 UTC.
///
/// Written by hand because Foundation's `JSONSerialization` on Linux took about 50 ms for a
/// list of 200 incidents, half of `smokegate alarms --json`'s time; this takes a fraction of
/// a millisecond and prints the same text.
enum JSONOutput {
    static func print(_ value: Any) {
        var text = ""
        write(value, indent: "", into: &text)
        text += "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func time(_ date: Date?) -> Any {
        date.map { RFC3339.format($0) } ?? NSNull()
    }

    static func optional(_ value: Any?) -> Any {
        value ?? NSNull()
    }

    private static func write(_ value: Any, indent: String, into text: inout String) {
        // The common types are told apart by their metadata, which costs a comparison: a cast
        // that fails (an NSNull tried as a dictionary, a String as an array) searches the
        // runtime's conformances, and took half the time of a list of 1,000 incidents.
        switch ObjectIdentifier(type(of: value)) {
        case ObjectIdentifier(String.self): return writeString(value as! String, into: &text)
        case ObjectIdentifier(NSNull.self): return text += "null"
        case ObjectIdentifier(Int64.self): return text += String(value as! Int64)
        case ObjectIdentifier(Int.self): return text += String(value as! Int)
        case ObjectIdentifier(Bool.self): return text += (value as! Bool) ? "true" : "false"
        case ObjectIdentifier([String: Any].self): return writeObject(value as! [String: Any], indent: indent, into: &text)
        case ObjectIdentifier([Any].self): return writeArray(value as! [Any], indent: indent, into: &text)
        case ObjectIdentifier([String].self): return writeArray(value as! [String], indent: indent, into: &text)
        default: break
        }
        switch value {
        case let object as [String: Any]: writeObject(object, indent: indent, into: &text)
        case let array as [Any]: writeArray(array, indent: indent, into: &text)
        case let string as String: writeString(string, into: &text)
        case let bool as Bool: text += bool ? "true" : "false"
        case let integer as Int: text += String(integer)
        case let integer as Int64: text += String(integer)
        case let number as Double:
            text +=
                number.isFinite
                ? (number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)) : "null"
        case is NSNull: text += "null"
        default: writeString("\(value)", into: &text)
        }
    }

    private static func writeObject(_ object: [String: Any], indent: String, into text: inout String) {
        guard !object.isEmpty else { return text += "{\n\n\(indent)}" }
        text += "{\n"
        let inner = indent + "  "
        for (index, key) in object.keys.sorted().enumerated() {
            text += inner
            writeString(key, into: &text)
            text += " : "
            write(object[key]!, indent: inner, into: &text)
            text += index < object.count - 1 ? ",\n" : "\n"
        }
        text += indent + "}"
    }

    private static func writeArray(_ array: [Any], indent: String, into text: inout String) {
        guard !array.isEmpty else { return text += "[\n\n\(indent)]" }
        text += "[\n"
        let inner = indent + "  "
        for (index, element) in array.enumerated() {
            text += inner
            write(element, indent: inner, into: &text)
            text += index < array.count - 1 ? ",\n" : "\n"
        }
        text += indent + "]"
    }

    private static func writeString(_ string: String, into text: inout String) {
        text += "\""
        // Most strings need no escape: copy them whole.
        guard string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            text += string
            text += "\""
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case let control where control.value < 0x20: text += String(format: "\\u%04x", control.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
