import Foundation

// libFuzzer's entry into the decoders. scripts/fuzz.sh compiles this file together with
// SmokeGateCore's sources into one instrumented binary (swiftc -sanitize=fuzzer,address), so
// there is no `import SmokeGateCore`: the decoders are in this module.

/// The gateway's formats, as the daemon routes them (pushes come by HTTP, not a topic).
private let normalizer = MessageNormalizer(sources: [
    Source(filter: try! TopicFilter("smokegate/detectors/+/event"), format: .native),
    Source(filter: try! TopicFilter("zigbee2mqtt/+"), format: .zigbee2mqtt),
    Source(filter: try! TopicFilter("ctwing/smoke/+"), format: .ctwing),
])

/// The first input byte picks the topic, so one corpus covers every decoder; `push:<format>`
/// is a platform's HTTP push, decoded by its source's format as the daemon does.
let fuzzTopics = [
    "smokegate/detectors/fz-0001/event", "zigbee2mqtt/fz-0001", "zigbee2mqtt/fz-0001/availability", "ctwing/smoke/1",
    "push:ctwing", "push:onenet", "push:iotda",
]

/// Pushes name their devices by platform id too: every id is some registered detector.
private let pushContext = { (condition: DeviceCondition) in
    DecodingContext(condition: { _ in condition }, deviceForPlatformID: { $0.hasPrefix("a") ? "fz-" + $0 : nil })
}

private let epoch = Date(timeIntervalSince1970: 1_795_334_400)

/// No input may trap, hang or leak; an accepted message names its device, a rejected one
/// says why. A broken promise is a crash, which libFuzzer saves as a reproducer.
@_cdecl("LLVMFuzzerTestOneInput")
public func decoderFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let topic = fuzzTopics[Int(data[0]) % fuzzTopics.count]
    let payload = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    for condition in [DeviceCondition(), [.smoke, .tamper, .batteryLow, .fault, .unreachable]] {
        let message = RawMessage(topic: topic, payload: payload, receivedAt: epoch)
        let outcome: DecodeOutcome
        if topic.hasPrefix("push:"), let format = PayloadFormat(rawValue: String(topic.dropFirst(5))) {
            outcome = normalizer.normalize(push: message, format: format, context: pushContext(condition))
        } else {
            outcome = normalizer.normalize(message) { _ in condition }.1
        }
        switch outcome {
        case .accepted(let decoded):
            precondition(!decoded.deviceID.isEmpty, "accepted a message naming no device")
            for event in decoded.events {
                precondition(event.deviceID == decoded.deviceID, "events of another device")
                precondition(event.notes == decoded.notes, "an event without its message's notes")
            }
        case .rejected(let rejection):
            precondition(!rejection.detail.isEmpty, "rejected without saying why")
        case .ignored:
            break
        }
    }
    return 0
}
