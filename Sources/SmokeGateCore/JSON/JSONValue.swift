/// A parsed JSON value, small enough to build per message on the ingest hot path.
///
/// Foundation's `JSONSerialization` costs about 10 µs for a heartbeat on Linux, which
/// would make the gateway, not the broker, the limit; this reader does the same job in a
/// fraction of that and reports where a payload is broken.
public enum JSONValue: Sendable, Equatable {
    /// `null`
    case null
    /// `true` or `false`
    case bool(Bool)
    /// Any number; integers up to 2^53 are exact.
    case number(Double)
    /// A string with its escapes resolved.
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// An object; keys keep their order, and a repeated key keeps its last value on lookup.
    case object(JSONObject)
}

extension JSONValue {
    /// The name of this value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }
}
