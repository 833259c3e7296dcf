import Foundation

/// What a detector reported, normalised across payload formats.
public enum EventKind: String, Sendable, CaseIterable, Codable {
    /// Smoke detected: opens (or joins) a fire incident.
    case alarm
    /// The detector no longer senses smoke; people, not devices, stop the ladder.
    case alarmClear = "alarm_clear"
    /// Proof of life with readings; never a stored row of its own.
    case heartbeat
    /// The detector reports a fault of its own.
    case fault
    /// The fault has gone.
    case faultClear = "fault_clear"
    /// The battery needs replacing.
    case lowBattery = "low_battery"
    /// The detector was removed from its base or opened.
    case tamper
    /// The detector is back on its base.
    case tamperClear = "tamper_clear"
    /// Someone pressed the test button (or the platform simulated an alarm).
    case test
    /// Someone silenced the sounder locally.
    case mute
    /// The detector's network (coordinator or platform) says it went offline.
    case offline
    /// The detector's network says it came back.
    case online
    /// The battery is good again after it was low (a charge reading back above the low mark,
    /// or a Zigbee2MQTT `battery_low` turned false): the `low_battery` job closes by itself.
    case batteryRestored = "battery_restored"

    private static let utf8Names: [(kind: EventKind, name: [UInt8])] = allCases.map { ($0, Array($0.rawValue.utf8)) }

    /// The kind a payload names, read straight from its bytes (no string is made).
    public init?(utf8 bytes: UnsafeRawBufferPointer) {
        for entry in Self.utf8Names where entry.name.count == bytes.count {
            if entry.name.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                self = entry.kind
                return
            }
        }
        return nil
    }
}
