import Foundation

/// The readers for optional fields (contract field rule 3: only the event's kind is
/// required). A value of the wrong type, out of range, not whole where a count is needed, or a
/// time that names no instant is dropped and noted in `notes`, and decoding goes on; an absent
/// or `null` field is simply nil. Every decoder reads its optional fields here, so the rule is
/// the same in every format, and nothing is built for a note unless a field is bad.
extension JSONFieldReader {
    typealias Member = JSONObjectView.Member

    /// A finite number.
    func number(_ key: String, at found: Member?? = nil, orNote notes: inout FieldNotes) -> Double? {
        guard let member = present(key, found) else { return nil }
        guard case .number(let value) = view.value(member) else {
            notes.drop(path + key, shown(member) + " is not a number")
            return nil
        }
        guard value.isFinite else {
            notes.drop(path + key, shown(member) + " is not a finite number")
            return nil
        }
        return value
    }

    /// A number within `range`; with `acceptingText`, also one written as text (`"100.00"`).
    func number(
        _ key: String, in range: ClosedRange<Double>, acceptingText: Bool = false, at found: Member?? = nil,
        orNote notes: inout FieldNotes
    ) -> Double? {
        guard let member = present(key, found) else { return nil }
        let value: Double
        switch view.value(member) {
        case .number(let number): value = number
        case .string(let text) where acceptingText:
            guard let number = Double(text) else {
                notes.drop(path + key, shown(member) + " is not a number")
                return nil
            }
            value = number
        default:
            notes.drop(path + key, shown(member) + " is not a number")
            return nil
        }
        guard value.isFinite else {
            notes.drop(path + key, shown(member) + " is not a finite number")
            return nil
        }
        guard range.contains(value) else {
            notes.drop(path + key, shown(member) + " is outside " + Self.text(range))
            return nil
        }
        return value
    }

    /// A whole number within `range`.
    func integer(_ key: String, in range: ClosedRange<Int>, at found: Member?? = nil, orNote notes: inout FieldNotes) -> Int? {
        guard let member = present(key, found) else { return nil }
        guard case .number(let value) = view.value(member) else {
            notes.drop(path + key, shown(member) + " is not a number")
            return nil
        }
        guard value.rounded() == value else {
            notes.drop(path + key, shown(member) + " is not a whole number")
            return nil
        }
        guard value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            notes.drop(path + key, shown(member) + " is outside " + Self.text(range))
            return nil
        }
        return Int(value)
    }

    /// A time: RFC 3339 text with its zone, or Unix time in seconds or milliseconds. A local
    /// time without a zone (a common firmware habit) names no instant the gateway can place,
    /// so it is dropped like any other bad value.
    func time(_ key: String, at found: Member?? = nil, orNote notes: inout FieldNotes) -> Date? {
        guard let member = present(key, found) else { return nil }
        // The usual case, read from the payload's bytes without making a string.
        if let bytes = view.rawString(member), let date = RFC3339.parse(bytes: bytes) { return date }
        switch view.value(member) {
        case .string(let text):
            if let date = RFC3339.parse(text) { return date }
            let why = RFC3339.parse(text + "Z") != nil ? " has no zone" : " is not an RFC 3339 time"
            notes.drop(path + key, shown(member) + why)
        case .number(let value) where value > 0 && value < 1e14:
            return Date(timeIntervalSince1970: value > 1e11 ? value / 1_000 : value)
        case .number:
            notes.drop(path + key, shown(member) + " is not a Unix time")
        default:
            notes.drop(path + key, shown(member) + " is not a time")
        }
        return nil
    }

    /// A flag: `true` or `false`, or one of the spellings firmware and bridges use for them,
    /// `"true"`/`"false"` as text in any case and the numbers 1 and 0.
    func flag(_ key: String, at found: Member?? = nil, orNote notes: inout FieldNotes) -> Bool? {
        guard let member = present(key, found) else { return nil }
        switch view.value(member) {
        case .bool(let flag): return flag
        case .number(1): return true
        case .number(0): return false
        case .string(let text) where text.lowercased() == "true": return true
        case .string(let text) where text.lowercased() == "false": return false
        default:
            notes.drop(path + key, shown(member) + " is not true or false")
            return nil
        }
    }

    /// Text (a state name such as `smoke_state` or `battery_state`).
    func string(_ key: String, at found: Member?? = nil, orNote notes: inout FieldNotes) -> String? {
        guard let member = present(key, found) else { return nil }
        guard case .string(let text) = view.value(member) else {
            notes.drop(path + key, shown(member) + " is not text")
            return nil
        }
        return text
    }

    /// A value as a note shows it: text quoted, numbers and literals as sent, containers by kind.
    private func shown(_ member: Member) -> String {
        switch view.leadingByte(member) {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""):
            guard case .string(let text) = view.value(member) else { return "a string" }
            return FieldNotes.shown(text: text, quoted: true)
        default:
            let raw = UnsafeRawBufferPointer(rebasing: view.bytes[member.valueStart..<member.valueEnd])
            return FieldNotes.shown(text: String(decoding: raw, as: UTF8.self), quoted: false)
        }
    }

    private static func text<Bound: BinaryInteger>(_ range: ClosedRange<Bound>) -> String {
        "\(range.lowerBound)–\(range.upperBound)"
    }

    private static func text(_ range: ClosedRange<Double>) -> String {
        text(Int(range.lowerBound)...Int(range.upperBound))
    }
}
