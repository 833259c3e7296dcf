/// One payload format. A new vendor is one more type conforming to this.
public protocol PayloadDecoder: Sendable {
    static var format: PayloadFormat { get }

    /// Decodes `message`; `topicDevice` is the device its topic names (nil where the
    /// format carries the device in the payload), and `condition` tells what the gateway
    /// last knew of a device, for formats whose events are changes between states.
    func decode(
        _ message: RawMessage, topicDevice: String?, condition: (String) -> DeviceCondition
    ) -> DecodeOutcome
}

extension PayloadDecoder {
    /// The payload as a JSON object, or the rejection that says why it is not one.
    func parseObject(_ message: RawMessage) -> Result<JSONObject, Rejection> {
        guard !message.payload.isEmpty else { return .failure(Rejection(.invalidJSON, "the payload is empty")) }
        do {
            let value = try JSONParser.parse(message.payload)
            guard case .object(let object) = value else {
                return .failure(Rejection(.notAnObject, "expected a JSON object, got \(value.typeName)"))
            }
            return .success(object)
        } catch {
            return .failure(Rejection(.invalidJSON, error.description))
        }
    }
}
