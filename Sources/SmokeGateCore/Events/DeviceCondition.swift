/// The conditions a detector is known to be in, as its last events left it.
///
/// Zigbee2MQTT sends whole states, and its events are the changes between them; keeping
/// the condition (and storing it with every durable event) lets a restarted daemon tell a
/// redelivered state from a new change.
public struct DeviceCondition: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Smoke sensed and not yet cleared.
    public static let smoke = DeviceCondition(rawValue: 1 << 0)
    /// Removed from its base.
    public static let tamper = DeviceCondition(rawValue: 1 << 1)
    /// Battery low.
    public static let batteryLow = DeviceCondition(rawValue: 1 << 2)
    /// Reporting a fault.
    public static let fault = DeviceCondition(rawValue: 1 << 3)
    /// Test button held (Zigbee2MQTT's `test` flag).
    public static let testing = DeviceCondition(rawValue: 1 << 4)
    /// Sounder muted on the device (Zigbee2MQTT's `silence`, `buzzer_manual_mute`).
    public static let muted = DeviceCondition(rawValue: 1 << 5)
    /// Its network (the Zigbee coordinator) reports it offline.
    public static let unreachable = DeviceCondition(rawValue: 1 << 6)

    /// The condition after `kind` has happened.
    public func applying(_ kind: EventKind) -> DeviceCondition {
        var next = self
        switch kind {
        case .alarm: next.insert(.smoke)
        case .alarmClear: next.remove(.smoke)
        case .fault: next.insert(.fault)
        case .faultClear: next.remove(.fault)
        case .tamper: next.insert(.tamper)
        case .tamperClear: next.remove(.tamper)
        case .lowBattery: next.insert(.batteryLow)
        case .batteryRestored: next.remove(.batteryLow)
        case .offline: next.insert(.unreachable)
        case .online: next.remove(.unreachable)
        case .heartbeat, .test, .mute: break
        }
        return next
    }

    /// Names of the conditions in force, for people.
    public var names: [String] {
        var names: [String] = []
        if contains(.smoke) { names.append("smoke") }
        if contains(.fault) { names.append("fault") }
        if contains(.tamper) { names.append("tamper") }
        if contains(.batteryLow) { names.append("low_battery") }
        if contains(.testing) { names.append("testing") }
        if contains(.muted) { names.append("muted") }
        if contains(.unreachable) { names.append("unreachable") }
        return names
    }
}
