import Foundation
import SmokeGateCore

/// The normaliser alone on native heartbeats: what one message costs before any I/O.
enum DecodeCost {
    static func measure(messages: Int, devices: Int) -> Double {
        let normalizer = MessageNormalizer(sources: [
            Source(filter: try! TopicFilter("smokegate/detectors/+/event"), format: .native),
            Source(filter: try! TopicFilter("zigbee2mqtt/+"), format: .zigbee2mqtt),
            Source(filter: try! TopicFilter("ctwing/smoke/+"), format: .ctwing),
        ])
        let samples = (0..<min(devices, 10_000)).map { index in
            RawMessage(
                topic: String(format: "smokegate/detectors/SIM-%06d/event", index + 1),
                payload: Array(
                    #"{"type":"heartbeat","seq":\#(index),"battery":\#(60 + index % 40),"rssi":-\#(50 + index % 40)}"#.utf8),
                receivedAt: Date())
        }
        var accepted = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<messages {
            let (_, outcome) = normalizer.normalize(samples[index % samples.count]) { _ in [] }
            if case .accepted = outcome { accepted += 1 }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        precondition(accepted == messages)
        return seconds / Double(messages)
    }
}
