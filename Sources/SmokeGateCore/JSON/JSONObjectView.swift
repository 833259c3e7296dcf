/// A JSON object validated in one pass and read lazily: members are byte ranges into the
/// payload, and a value becomes a Swift value only when a decoder asks for it.
///
/// Building a full `JSONValue` tree costs allocations per key and value; a heartbeat needs two
/// or three of its fields, so the ingest path reads them from the bytes instead. Valid only
/// inside the `withUnsafeBytes` scope of the payload it was scanned from.
public struct JSONObjectView {
    struct Member {
        var keyStart: Int
        var keyEnd: Int
        var keyEscaped: Bool
        var valueStart: Int
        var valueEnd: Int
    }

    let bytes: UnsafeRawBufferPointer
    let members: [Member]

    /// The result of scanning a document that should be an object.
    public enum Scan {
        case object(JSONObjectView)
        /// Valid JSON, but not an object: the type's name.
        case notAnObject(String)
    }

    /// Validates the whole document strictly and records the top-level object's members.
    public static func scan(_ bytes: UnsafeRawBufferPointer) throws(JSONParser.Failure) -> Scan {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        guard parser.current == UInt8(ascii: "{") else {
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.index == bytes.count else { throw parser.failure("unexpected data after the JSON value") }
            return .notAnObject(value.typeName)
        }
        let members = try parser.scanObjectMembers(depth: 1)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected data after the JSON value") }
        return .object(JSONObjectView(bytes: bytes, members: members))
    }

    /// The last member named `key` (a payload that repeats a key means its last value).
    func member(_ key: String) -> Member? {
        var key = key
        return key.withUTF8 { wanted in
            for member in members.reversed() {
                if member.keyEscaped {
                    var parser = JSONParser(bytes: bytes)
                    parser.index = member.keyStart - 1
                    if let decoded = try? parser.parseString(), decoded.utf8.elementsEqual(wanted) { return member }
                } else if member.keyEnd - member.keyStart == wanted.count,
                    memcmp(bytes.baseAddress! + member.keyStart, wanted.baseAddress!, wanted.count) == 0
                {
                    return member
                }
            }
            return nil
        }
    }

    /// Whether `member`'s key is `literal`: a length check and a byte comparison.
    func key(_ member: Member, is literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        if member.keyEscaped {
            var parser = JSONParser(bytes: bytes)
            parser.index = member.keyStart - 1
            guard let decoded = try? parser.parseString() else { return false }
            return decoded.utf8.count == length
                && decoded.utf8.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: length))
        }
        return member.keyEnd - member.keyStart == length
            && memcmp(bytes.baseAddress! + member.keyStart, literal.utf8Start, length) == 0
    }

    /// The bytes of a string value without escapes (between its quotes), or nil when the
    /// value is not a string or has escapes (then read it with `value`).
    func rawString(_ member: Member) -> UnsafeRawBufferPointer? {
        guard leadingByte(member) == UInt8(ascii: "\""), member.valueEnd - member.valueStart >= 2 else { return nil }
        let inner = UnsafeRawBufferPointer(rebasing: bytes[(member.valueStart + 1)..<(member.valueEnd - 1)])
        guard !inner.contains(UInt8(ascii: "\\")) else { return nil }
        return inner
    }

    /// The first byte of a member's value, which names its JSON type.
    func leadingByte(_ member: Member) -> UInt8 { bytes[member.valueStart] }

    /// The member's value as a tree (cheap for strings, numbers and literals).
    func value(_ member: Member) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.index = member.valueStart
        // The document was validated by `scan`, so this cannot fail.
        return (try? parser.parseValue(depth: 0)) ?? .null
    }

    /// The member's value as a view, when it is an object.
    func object(_ member: Member) -> JSONObjectView? {
        guard leadingByte(member) == UInt8(ascii: "{") else { return nil }
        var parser = JSONParser(bytes: bytes)
        parser.index = member.valueStart
        guard let members = try? parser.scanObjectMembers(depth: 1) else { return nil }
        return JSONObjectView(bytes: bytes, members: members)
    }

    /// The JSON type name of a member's value, for error messages.
    func typeName(_ member: Member) -> String {
        switch leadingByte(member) {
        case UInt8(ascii: "{"): "object"
        case UInt8(ascii: "["): "array"
        case UInt8(ascii: "\""): "string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "boolean"
        case UInt8(ascii: "n"): "null"
        default: "number"
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension JSONParser {
    /// Scans an object whose `{` is at `index`, validating every value, and returns its
    /// members' ranges without building them.
    mutating func scanObjectMembers(depth: Int) throws(Failure) -> [JSONObjectView.Member] {
        guard depth <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
        index += 1
        var members: [JSONObjectView.Member] = []
        members.reserveCapacity(8)
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let keyStart = index + 1
            let escaped = try skipString()
            let keyEnd = index - 1
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw failure("expected ':' after a key") }
            index += 1
            skipWhitespace()
            let valueStart = index
            try skipValue(depth: depth)
            members.append(
                JSONObjectView.Member(
                    keyStart: keyStart, keyEnd: keyEnd, keyEscaped: escaped, valueStart: valueStart, valueEnd: index))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return members
            case nil: throw failure("unexpected end of JSON in an object")
            default: throw failure("expected ',' or '}' in an object")
            }
        }
    }

    /// Validates one value and moves past it.
    mutating func skipValue(depth: Int) throws(Failure) {
        guard let byte = current else { throw failure("unexpected end of JSON") }
        switch byte {
        case UInt8(ascii: "{"): _ = try scanObjectMembers(depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth + 1 <= Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
            index += 1
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"): index += 1; return
                case nil: throw failure("unexpected end of JSON in an array")
                default: throw failure("expected ',' or ']' in an array")
                }
            }
        case UInt8(ascii: "\""): _ = try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw failure("unexpected character '\(printable(byte))'")
        }
    }

    /// Validates a string whose opening quote is at `index`; returns whether it had escapes.
    mutating func skipString() throws(Failure) -> Bool {
        index += 1
        let start = index
        var escaped = false
        var ascii = true
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                if !ascii, String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self) == nil
                {
                    throw Failure(message: "string is not valid UTF-8", offset: start)
                }
                return escaped
            case UInt8(ascii: "\\"):
                escaped = true
                index += 1
                var scratch: [UInt8] = []
                try appendEscape(to: &scratch)
            case 0..<0x20:
                throw failure("control character in a string")
            default:
                if byte >= 0x80 { ascii = false }
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    /// Validates a number's grammar without converting it.
    mutating func skipNumber() throws(Failure) {
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, isDigit(first) else { throw failure("invalid number") }
        index += 1
        if first != UInt8(ascii: "0") {
            while let byte = current, isDigit(byte) { index += 1 }
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard let byte = current, isDigit(byte) else { throw failure("invalid number: no digit after '.'") }
            while let byte = current, isDigit(byte) { index += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let byte = current, isDigit(byte) else { throw failure("invalid number: no digit in exponent") }
            while let byte = current, isDigit(byte) { index += 1 }
        }
    }
}
