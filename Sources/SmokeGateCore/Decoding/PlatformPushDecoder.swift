/// A platform's push format (CTWing, OneNET, IoTDA): the whole body is one JSON object, parsed
/// whole (`PushFields`), and the device is named inside it, never by a topic.
protocol PlatformPushDecoder: PayloadDecoder {
    /// Decodes a body already parsed as an object; a `Rejection` thrown is the message's.
    func decode(body: PushFields, message: RawMessage, context: DecodingContext) throws(Rejection) -> DecodeOutcome
}

extension PlatformPushDecoder {
    public func decode(_ message: RawMessage, topicDevice: String?, context: DecodingContext) -> DecodeOutcome {
        do {
            return try decode(body: PushFields.parse(message.payload), message: message, context: context)
        } catch {
            return .rejected(error)
        }
    }
}
