/// Typed access to a payload's fields, read lazily from a `JSONObjectView`. The throwing
/// readers here are for what a message cannot do without (its kind, its device, its shape)
/// and reject it naming the field; optional readings go through the non-throwing readers in
/// `JSONFieldReader+Optional.swift`, which drop a bad value and note why.
struct JSONFieldReader {
    let view: JSONObjectView
    /// Prefix for field names in messages, e.g. `payload.serviceData.`.
    var path = ""

    /// The member named `key` unless it is absent or `null`; `found` is the member where the
    /// caller already looked (`.some(nil)`: looked, and it is absent).
    func present(_ key: String, _ found: JSONObjectView.Member??) -> JSONObjectView.Member? {
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

    /// A whole number: for codes a message cannot do without (CTWing's `Alarm_Status`).
    func integer(_ key: String, at found: JSONObjectView.Member?? = nil) throws(Rejection) -> Int? {
        guard let value = try number(key, at: found) else { return nil }
        guard value.rounded() == value, abs(value) < 9e15 else {
            throw Rejection(.invalidField, "'\(path)\(key)' must be a whole number, got \(value)")
        }
        return Int(value)
    }

    func object(_ key: String, at found: JSONObjectView.Member?? = nil) throws(Rejection) -> JSONFieldReader? {
        guard let member = present(key, found) else { return nil }
        guard let inner = view.object(member) else { throw mismatch(key, member, expected: "an object") }
        return JSONFieldReader(view: inner, path: path + key + ".")
    }
}
