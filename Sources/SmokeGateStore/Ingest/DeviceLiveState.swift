import Foundation
import SmokeGateCore

/// What the gateway last knew of one detector: kept in memory, flushed in batches.
public struct DeviceLiveState: Sendable, Equatable {
    public var deviceID: String
    public var format: PayloadFormat
    public var lastSeenAt: Date
    public var reading: DeviceReading
    public var condition: DeviceCondition

    public init(deviceID: String, format: PayloadFormat, lastSeenAt: Date, reading: DeviceReading, condition: DeviceCondition) {
        self.deviceID = deviceID
        self.format = format
        self.lastSeenAt = lastSeenAt
        self.reading = reading
        self.condition = condition
    }
}
