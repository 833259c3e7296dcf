import Foundation
import SmokeGateCore
import SmokeGateStore

extension DeviceLiveState {
    /// A detector the gateway has never heard: `lastSeenAt` is `distantPast`, stored as NULL.
    static func unseen(_ decoded: DecodedMessage) -> DeviceLiveState {
        DeviceLiveState(
            deviceID: decoded.deviceID, format: decoded.format, lastSeenAt: .distantPast, reading: DeviceReading(),
            condition: [])
    }

    /// This state once `decoded`, received at `receivedAt`, has been applied: the one rule
    /// for both the in-memory state and what a durable commit writes.
    mutating func absorb(_ decoded: DecodedMessage, receivedAt: Date) {
        format = decoded.format
        condition = decoded.condition(after: condition)
        reading = reading.updated(with: decoded.reading)
        // An offline report from the network is not proof of life.
        let provesLife = decoded.events.isEmpty || !decoded.events.allSatisfy { $0.kind == .offline }
        if provesLife, receivedAt > lastSeenAt { lastSeenAt = receivedAt }
    }
}
