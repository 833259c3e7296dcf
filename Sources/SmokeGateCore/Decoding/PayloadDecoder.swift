/// One payload format. A new vendor is one more type conforming to this.
public protocol PayloadDecoder: Sendable {
    static var format: PayloadFormat { get }

    /// Decodes `message`; `topicDevice` is the device its topic names (nil where the
    /// format carries the device in the payload, as every platform push does), and `context`
    /// tells what the gateway knows of devices (see `DecodingContext`).
    func decode(_ message: RawMessage, topicDevice: String?, context: DecodingContext) -> DecodeOutcome
}

extension PayloadDecoder {
    /// Decodes with only the devices' conditions known (no platform ids): tests and tools.
    public func decode(
        _ message: RawMessage, topicDevice: String?, condition: @escaping @Sendable (String) -> DeviceCondition
    ) -> DecodeOutcome {
        decode(message, topicDevice: topicDevice, context: DecodingContext(condition: condition))
    }

    /// Runs `body` on the payload's fields when it is a JSON object; otherwise the
    /// rejection that says why it is not one. A `Rejection` thrown by `body` is returned too.
    func withObject(_ message: RawMessage, _ body: (JSONFieldReader) throws(Rejection) -> DecodeOutcome) -> DecodeOutcome {
        guard !message.payload.isEmpty else { return .rejected(Rejection(.invalidJSON, "the payload is empty")) }
        return message.payload.withUnsafeBytes { buffer in Self.outcome(buffer, body) }
    }

    private static func outcome(
        _ buffer: UnsafeRawBufferPointer, _ body: (JSONFieldReader) throws(Rejection) -> DecodeOutcome
    ) -> DecodeOutcome {
        let scan: JSONObjectView.Scan
        do {
            scan = try JSONObjectView.scan(buffer)
        } catch {
            return .rejected(Rejection(.invalidJSON, error.description))
        }
        switch scan {
        case .notAnObject(let typeName):
            return .rejected(Rejection(.notAnObject, "expected a JSON object, got \(typeName)"))
        case .object(let view):
            do {
                return try body(JSONFieldReader(view: view))
            } catch {
                return .rejected(error)
            }
        }
    }
}
