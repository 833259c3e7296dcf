import Foundation

/// Typed access to a payload's optional fields, with rejections that name the field.
struct JSONFieldReader {
    let object: JSONObject
    /// Prefix for field names in messages, e.g. `payload.serviceData.`.
    var path = ""

    func string(_ key: String) throws(Rejection) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw Rejection(.invalidField, "'\(path)\(key)' must be a string, got \(other.typeName)")
        }
    }

    func number(_ key: String) throws(Rejection) -> Double? {
        switch object[key] {
        case nil, .null?: return nil
        case .number(let value)?: return value
        case let other?: throw Rejection(.invalidField, "'\(path)\(key)' must be a number, got \(other.typeName)")
        }
    }

    func integer(_ key: String, in range: ClosedRange<Double>? = nil) throws(Rejection) -> Int? {
        guard let value = try number(key) else { return nil }
        guard value.rounded() == value, abs(value) < 9e15 else {
            throw Rejection(.invalidField, "'\(path)\(key)' must be a whole number, got \(value)")
        }
        if let range, !range.contains(value) {
            throw Rejection(
                .invalidField, "'\(path)\(key)' must be between \(Int(range.lowerBound)) and \(Int(range.upperBound)), got \(Int(value))")
        }
        return Int(value)
    }

    func bool(_ key: String) throws(Rejection) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case let other?: throw Rejection(.invalidField, "'\(path)\(key)' must be true or false, got \(other.typeName)")
        }
    }

    func object(_ key: String) throws(Rejection) -> JSONFieldReader? {
        switch object[key] {
        case nil, .null?: return nil
        case .object(let inner)?: return JSONFieldReader(object: inner, path: path + key + ".")
        case let other?: throw Rejection(.invalidField, "'\(path)\(key)' must be an object, got \(other.typeName)")
        }
    }

    /// A time as RFC 3339 text, or as Unix time in seconds or milliseconds.
    func time(_ key: String) throws(Rejection) -> Date? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?:
            guard let date = RFC3339.parse(text) else {
                throw Rejection(.invalidField, "'\(path)\(key)' is not an RFC 3339 time: \(text.prefix(40))")
            }
            return date
        case .number(let value)?:
            guard value > 0, value < 1e14 else { throw Rejection(.invalidField, "'\(path)\(key)' is not a Unix time: \(value)") }
            return Date(timeIntervalSince1970: value > 1e11 ? value / 1_000 : value)
        case let other?:
            throw Rejection(.invalidField, "'\(path)\(key)' must be a time, got \(other.typeName)")
        }
    }
}
