import Foundation

/// A platform push's fields, read the way the platforms actually send them: the same id as
/// `IMEI` or `imei`, the literal text `"undefined"` or `""` for a field the platform has no value
/// for, numbers as text. Pushes are small and arrive one per HTTP request, so they are parsed
/// whole (`JSONValue`) rather than through the lazy view the broker's hot path uses.
struct PushFields {
    let object: JSONObject
    /// Prefix for field names in notes and rejections, e.g. `payload.serviceData.`.
    var path = ""

    init(_ object: JSONObject, path: String = "") {
        self.object = object
        self.path = path
    }

    /// Parses `bytes` as a JSON object, or the rejection that says why it is not one.
    static func parse(_ bytes: [UInt8]) throws(Rejection) -> PushFields {
        guard !bytes.isEmpty else { throw Rejection(.invalidJSON, "the payload is empty") }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw Rejection(.invalidJSON, error.description)
        }
        guard case .object(let object) = value else {
            throw Rejection(.notAnObject, "expected a JSON object, got \(value.typeName)")
        }
        return PushFields(object)
    }

    /// The value of the first of `keys` that is present and says something: not `null`, not
    /// `""`, not the text `"undefined"`.
    func value(_ keys: String...) -> JSONValue? { first(keys)?.value }

    private func first(_ keys: [String]) -> (key: String, value: JSONValue)? {
        for key in keys {
            guard let value = object[key] else { continue }
            switch value {
            case .null: continue
            case .string(let text) where Self.saysNothing(text): continue
            default: return (key, value)
            }
        }
        return nil
    }

    /// Whether a text value is a platform's way of sending nothing.
    static func saysNothing(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed == "undefined" || trimmed == "null"
    }

    /// An id or name: text, or a whole number written as one (`"dev_id": 52436`).
    func text(_ keys: String...) -> String? {
        guard let (_, value) = first(keys) else { return nil }
        switch value {
        case .string(let text): return text.trimmingCharacters(in: .whitespaces)
        case .number: return ThingModel.code(value)
        default: return nil
        }
    }

    /// A code: a whole number or one written as text (`"eventType": "1"`).
    func integer(_ keys: String...) -> Int? {
        guard let (_, value) = first(keys), let code = ThingModel.code(value) else { return nil }
        return Int(code)
    }

    func object(_ key: String) -> PushFields? {
        guard case .object(let inner)? = object[key] else { return nil }
        return PushFields(inner, path: path + key + ".")
    }

    func array(_ key: String) -> [JSONValue]? {
        guard case .array(let elements)? = object[key] else { return nil }
        return elements
    }

    /// The text of `key` that is itself a JSON document (OneNET's `msg`), parsed.
    func embeddedObject(_ key: String) throws(Rejection) -> PushFields? {
        guard case .string(let text)? = object[key] else { return nil }
        do {
            guard case .object(let inner) = try JSONParser.parse(Array(text.utf8)) else {
                throw Rejection(.invalidField, "'\(path)\(key)' must hold a JSON object")
            }
            return PushFields(inner, path: path + key + ".")
        } catch let failure as JSONParser.Failure {
            throw Rejection(.invalidJSON, "'\(path)\(key)' is not JSON: \(failure.description)")
        } catch let rejection as Rejection {
            throw rejection
        } catch {
            throw Rejection(.invalidJSON, "'\(path)\(key)' is not JSON")
        }
    }

    /// A time: Unix seconds or milliseconds (as a number or as text), RFC 3339 with a zone, or
    /// the compact UTC form IoTDA uses (`20260912T173041Z`). Anything else is dropped and noted.
    func time(_ key: String, orNote notes: inout FieldNotes) -> Date? {
        guard let value = value(key) else { return nil }
        switch value {
        case .number(let number):
            if let date = Self.unixTime(number) { return date }
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if let number = Double(trimmed), let date = Self.unixTime(number) { return date }
            if let date = RFC3339.parse(trimmed) ?? Self.compactUTC(trimmed) { return date }
        default: break
        }
        notes.drop(path + key, Self.shown(value) + " is not a time")
        return nil
    }

    /// The same instant as milliseconds, for stamps; nil where `time` would be.
    static func milliseconds(_ date: Date) -> String { String(Int64((date.timeIntervalSince1970 * 1_000).rounded())) }

    private static func unixTime(_ value: Double) -> Date? {
        guard value.isFinite, value > 0, value < 1e14 else { return nil }
        return Date(timeIntervalSince1970: value > 1e11 ? value / 1_000 : value)
    }

    /// `yyyyMMdd'T'HHmmss'Z'`, optionally with milliseconds (`…T173041.632Z`).
    private static func compactUTC(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, bytes[8] == UInt8(ascii: "T"), bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        var fraction = 0.0
        if bytes.count > 16 {
            guard bytes[15] == UInt8(ascii: "."), bytes.count <= 26, let digits = number(16..<(bytes.count - 1)) else {
                return nil
            }
            fraction = Double(digits) / pow(10, Double(bytes.count - 17))
        } else if bytes.count != 16 {
            return nil
        }
        let stamp = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, second)
        return RFC3339.parse(stamp).map { $0.addingTimeInterval(fraction) }
    }

    /// A value as a note shows it.
    static func shown(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): FieldNotes.shown(text: text, quoted: true)
        case .number(let number): FieldNotes.shown(text: ThingModel.code(value) ?? "\(number)", quoted: false)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
