import Foundation

/// What one product's thing-model properties mean to the gateway. NB-IoT platforms deliver a
/// detector's report as named properties (`smoke_state: 1`, `battery_value: 87`), and vendors
/// give the same names different codes, so the meaning lives in a table the operator can
/// change per product (`thing_models:` in the configuration) instead of in the decoders.
public struct ThingModel: Sendable, Equatable {
    /// The codes of one property that reports a state, and what each means.
    public struct Codes: Sendable, Equatable {
        /// Value (as `ThingModel.code` spells it: `"1"`, `"true"`, `"alarm"`) → meaning.
        public var values: [String: ThingMeaning]
        /// The meaning of a value the table does not list; nil makes such a value unknown (noted,
        /// and the message rejected when nothing else in it is understood).
        public var otherwise: ThingMeaning?

        public init(_ values: [String: ThingMeaning], otherwise: ThingMeaning? = nil) {
            self.values = values
            self.otherwise = otherwise
        }
    }

    /// Properties that report a state, by identifier.
    public var states: [String: Codes]
    /// Properties that carry a measurement, by identifier.
    public var readings: [String: ThingReading]

    public init(states: [String: Codes] = [:], readings: [String: ThingReading] = [:]) {
        self.states = states
        self.readings = readings
    }

    /// This table with `override`'s properties in place of its own: a product's table names
    /// only what differs from the built-in one. A property overridden with no codes at all is
    /// ignored for that product.
    public func overridden(by override: ThingModel) -> ThingModel {
        var merged = self
        for (identifier, codes) in override.states {
            merged.readings[identifier] = nil
            merged.states[identifier] = codes.values.isEmpty && codes.otherwise == nil ? nil : codes
        }
        for (identifier, reading) in override.readings {
            merged.states[identifier] = nil
            merged.readings[identifier] = reading
        }
        return merged
    }

    /// The meaning of `value` for the state property `identifier`: `.some(nil)` when the property
    /// is in the table and the value is not; nil when the property is not a state at all.
    func meaning(of identifier: String, value: JSONValue) -> ThingMeaning?? {
        guard let codes = states[identifier] else { return nil }
        guard let code = Self.code(value) else { return .some(codes.otherwise) }
        if let meaning = codes.values[code] { return meaning }
        // A flag may be listed as 1/0 and sent as true/false, or the other way round.
        let alias: String? =
            switch code {
            case "true": "1"
            case "false": "0"
            case "1": "true"
            case "0": "false"
            default: nil
            }
        if let alias, let meaning = codes.values[alias] { return meaning }
        return .some(codes.otherwise)
    }

    /// How a value is looked up in a table: whole numbers as digits (`1`, `1.0` and `"1"` are one
    /// code, because platforms send numbers as text), flags as `true`/`false`, text trimmed and
    /// in lower case. Containers and `null` have no code.
    public static func code(_ value: JSONValue) -> String? {
        switch value {
        case .number(let number):
            guard number.isFinite else { return nil }
            if number.rounded() == number, abs(number) < 9e15 { return String(Int64(number)) }
            return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
            if let number = Double(trimmed), number.isFinite { return code(.number(number)) }
            return trimmed
        case .null, .array, .object: return nil
        }
    }
}
