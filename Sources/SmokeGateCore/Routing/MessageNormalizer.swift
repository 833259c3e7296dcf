/// Turns raw messages into decoded ones: finds the source, enforces the size limit, and
/// hands the payload to that format's decoder.
public struct MessageNormalizer: Sendable {
    /// Payloads above this are rejected unread.
    public static let maximumPayloadBytes = 64 * 1024

    private let routes: [(filter: TopicFilter, format: PayloadFormat)]
    private let native = NativeDecoder()
    private let zigbee = Zigbee2MQTTDecoder()
    private let ctwing: CTWingDecoder
    private let onenet: OneNETDecoder
    private let iotda: IoTDADecoder
    /// What the platforms' thing-model properties mean, by product (`thing_models:`).
    public let thingModels: ThingModelBook
    /// What makes a CTWing push more than a routine report (see `cannotOpenIncident`).
    let ctwingRoutineWords: [[UInt8]]?

    public init(sources: [Source], thingModels: ThingModelBook = .builtIn) {
        self.thingModels = thingModels
        ctwing = CTWingDecoder(thingModels: thingModels)
        onenet = OneNETDecoder(thingModels: thingModels)
        iotda = IoTDADecoder(thingModels: thingModels)
        ctwingRoutineWords = Self.routineWords(thingModels)
        var routes: [(TopicFilter, PayloadFormat)] = []
        for source in sources {
            for subscription in source.subscriptions {
                if let filter = try? TopicFilter(subscription) { routes.append((filter, source.format)) }
            }
        }
        self.routes = routes
    }

    /// The format that `topic` carries, with the device its topic names.
    public func route(_ topic: String) -> (format: PayloadFormat, topicDevice: String?)? {
        for route in routes {
            if let captured = route.filter.match(topic) {
                return (route.format, captured.isEmpty ? nil : captured)
            }
        }
        return nil
    }

    /// Whether `message` is certainly a native heartbeat (valid JSON, `"type": "heartbeat"`):
    /// such a message can never open an incident, so it need not be handled before its
    /// acknowledgement. Conservative: false whenever it would take a full decode to know.
    /// (A heartbeat may still close a `low_battery` job with a `batteryRestored` event; lost
    /// in a crash, that event comes again with the detector's next heartbeat.)
    public func isNativeHeartbeat(_ message: RawMessage) -> Bool {
        guard message.payload.count <= Self.maximumPayloadBytes, let (format, _) = route(message.topic), format == .native
        else { return false }
        return message.payload.withUnsafeBytes { buffer in
            guard case .object(let view)? = try? JSONObjectView.scan(buffer) else { return false }
            var type: JSONObjectView.Member?
            for member in view.members where view.key(member, is: "type") { type = member }
            guard let type, let name = view.rawString(type) else { return false }
            return EventKind(utf8: name) == .heartbeat
        }
    }

    /// Decodes one message; never throws, never traps on any input.
    public func normalize(
        _ message: RawMessage, condition: @escaping @Sendable (String) -> DeviceCondition
    ) -> (PayloadFormat?, DecodeOutcome) {
        normalize(message, context: DecodingContext(condition: condition))
    }

    /// Decodes one message off the broker, routed by its topic; never throws, never traps.
    public func normalize(_ message: RawMessage, context: DecodingContext) -> (PayloadFormat?, DecodeOutcome) {
        guard let (format, topicDevice) = route(message.topic) else {
            return (nil, .rejected(Rejection(.unroutable, "no configured source covers topic '\(message.topic.prefix(200))'")))
        }
        return (format, decode(message, format: format, topicDevice: topicDevice, context: context))
    }

    /// Decodes one platform push (its `topic` is the source's name, never its secret path):
    /// the format is the HTTP source's, and the device is in the body.
    public func normalize(push message: RawMessage, format: PayloadFormat, context: DecodingContext) -> DecodeOutcome {
        decode(message, format: format, topicDevice: nil, context: context)
    }

    private func decode(
        _ message: RawMessage, format: PayloadFormat, topicDevice: String?, context: DecodingContext
    ) -> DecodeOutcome {
        guard message.payload.count <= Self.maximumPayloadBytes else {
            return .rejected(
                Rejection(.oversized, "payload of \(message.payload.count) bytes exceeds \(Self.maximumPayloadBytes)"))
        }
        switch format {
        case .native: return native.decode(message, topicDevice: topicDevice, context: context)
        case .zigbee2mqtt: return zigbee.decode(message, topicDevice: topicDevice, context: context)
        case .ctwing: return ctwing.decode(message, topicDevice: topicDevice, context: context)
        case .onenet: return onenet.decode(message, topicDevice: topicDevice, context: context)
        case .iotda: return iotda.decode(message, topicDevice: topicDevice, context: context)
        }
    }
}
