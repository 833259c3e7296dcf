import SmokeGateCore

/// Replays messages through a normaliser the way the daemon does, remembering each
/// detector's condition between messages.
struct Replayer {
    let normalizer = MessageNormalizer(sources: [
        Source(filter: try! TopicFilter("smokegate/detectors/+/event"), format: .native),
        Source(filter: try! TopicFilter("zigbee2mqtt/+"), format: .zigbee2mqtt),
        Source(filter: try! TopicFilter("ctwing/smoke/+"), format: .ctwing),
    ])
    var conditions: [String: DeviceCondition] = [:]

    mutating func replay(_ message: RawMessage) -> DecodeOutcome {
        let snapshot = conditions
        let (_, outcome) = normalizer.normalize(message) { snapshot[$0] ?? [] }
        if case .accepted(let decoded) = outcome {
            conditions[decoded.deviceID] = decoded.condition(after: conditions[decoded.deviceID] ?? [])
        }
        return outcome
    }
}
