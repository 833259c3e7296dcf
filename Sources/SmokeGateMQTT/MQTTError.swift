/// A libmosquitto call that failed, with the library's own words.
public struct MQTTError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let code: Int32
    public let message: String
    public var description: String { "\(operation) failed: \(message) (\(code))" }
}
