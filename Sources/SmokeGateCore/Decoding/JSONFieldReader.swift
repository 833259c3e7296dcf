import Foundation

/// Typed access to a payload's optional fields, read lazily from a `JSONObjectView`, with
/// rejections that name the field.
struct JSONFieldReader {
    let view: JSONObjectView
    /// Prefix for field names in messages, e.g. `payload.serviceData.`.
    var path = ""

    /// The field's value as a tree, or nil when absent.
    func value(_ key: String) -> JSONValue? {
        view.member(key).map { view.value($0) }
    }

    private func present(_ key: String, _ found: JSONObjectView.Member??) -> JSONObjectView.Member? {
        guard let member = found ?? view.member(key), view.leadingByte(member) != UInt8(ascii: "n") else { return nil }
        return member
    }

    private func mismatch(_ key: String, _ member: JSONObjectView.Member, expected: String) -> Rejection {
        Rejection(.invalidField, "'\(path)\(key)' must be \(expected), got \(view.typeName(member))")
    }

    func string(_ key: String, at found: JSONObjectView.Member?? = nil) throws(Rejection) -> String? {
        guard let member = present(key, found) else { return nil }
        guard case .string(let text) = view.value(member) else { throw mismatch(key, member, expected: "a string") }
        return text
    }

    func number(_ key: String, at found: JSONObjectView.Member?? = nil) throws(Rejection) -> Double? {
        guard let member = present(key, found) else { return nil }
        guard case .number(let value) = view.value(member) else { throw mismatch(key, member, expected: "a number") }
        return value
    }

    func integer(_ key: String, in range: ClosedRange<Double>? = nil, at found: JSONObjectView.Member?? = nil) throws(Rejection)
        -> Int?
    {
        guard let value = try number(key, at: found) else { return nil }
        guard value.rounded() == value, abs(value) < 9e15 else {
            throw Rejection(.invalidField, "'\(path)\(key)' must be a whole number, got \(value)")
        }
        if let range, !range.contains(value) {
            throw Rejection(
                .invalidField,
                "'\(path)\(key)' must be between \(Int(range.lowerBound)) and \(Int(range.upperBound)), got \(Int(value))")
        }
        return Int(value)
    }

    func bool(_ key: String, at found: JSONObjectView.Member?? = nil) throws(Rejection) -> Bool? {
        guard let member = present(key, found) else { return nil }
        guard case .bool(let value) = view.value(member) else { throw mismatch(key, member, expected: "true or false") }
        return value
    }

    func object(_ key: String, at found: JSONObjectView.Member?? = nil) throws(Rejection) -> JSONFieldReader? {
        guard let member = present(key, found) else { return nil }
        guard let inner = view.object(member) else { throw mismatch(key, member, expected: "an object") }
        return JSONFieldReader(view: inner, path: path + key + ".")
    }

    /// A time as RFC 3339 text, or as Unix time in seconds or milliseconds.
    func time(_ key: String, at found: JSONObjectView.Member?? = nil) throws(Rejection) -> Date? {
        guard let member = present(key, found) else { return nil }
        switch view.value(member) {
        case .string(let text):
            guard let date = RFC3339.parse(text) else {
                throw Rejection(.invalidField, "'\(path)\(key)' is not an RFC 3339 time: \(text.prefix(40))")
            }
            return date
        case .number(let value):
            guard value > 0, value < 1e14 else { throw Rejection(.invalidField, "'\(path)\(key)' is not a Unix time: \(value)") }
            return Date(timeIntervalSince1970: value > 1e11 ? value / 1_000 : value)
        default:
            throw mismatch(key, member, expected: "a time")
        }
    }
}
