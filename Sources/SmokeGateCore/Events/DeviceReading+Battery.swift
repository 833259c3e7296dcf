/// When a detector's battery, once reported low, counts as good again: the one threshold the
/// formats that send no "not low any more" of their own (native, CTWing) share.
extension DeviceReading {
    /// The charge, in percent, at or above which a low battery counts as restored. It sits well
    /// above Zigbee2MQTT's low mark (`Zigbee2MQTTDecoder.lowBatteryPercent`, 15) because a
    /// tired cell reads a few points higher once the sounder stops drawing on it or the room
    /// warms up: a mark just above the low one would close the grid worker's `low_battery` job
    /// and open it again with every wobble, while only a fresh battery reads this high.
    public static let restoredPercent = 30

    /// Whether this reading, sent with an event of `kind`, says a low battery is good again: a
    /// valid charge at or above `restoredPercent`, in a message that is not itself a low-battery
    /// report, from a detector whose `previous` condition holds `.batteryLow`. `previous` is
    /// asked last, and only when the reading qualifies, because it is a lookup in the
    /// gateway's memory and heartbeats are the hot path.
    func restoresBattery(reportedWith kind: EventKind, previous: () -> DeviceCondition) -> Bool {
        guard let battery, battery >= Self.restoredPercent, kind != .lowBattery else { return false }
        return previous().contains(.batteryLow)
    }
}
