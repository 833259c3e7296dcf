import Foundation
import SmokeGateCore
import SmokeGateStore

/// One detector's live state in 24 bytes: what the device table keeps (format, last heard,
/// battery, signal, condition) and whether it waits for the next flush. A `DeviceLiveState`
/// with its id and optionals takes over a hundred, and a million of them in a dictionary
/// were most of the daemon's memory.
struct LiveSlot {
    /// Seconds since 1970; `-infinity` for a detector never heard.
    var lastSeen = -Double.infinity
    var battery = LiveSlot.none
    var signal = LiveSlot.none
    var condition: Int32 = 0
    var format: UInt8 = 0
    /// Changed since the last flush (and listed for it).
    var dirty = false

    /// Marks a missing battery or signal reading.
    static let none = Int32.min

    var hasBeenHeard: Bool { lastSeen != -.infinity }

    init() {}

    init(_ state: DeviceLiveState) {
        lastSeen = state.lastSeenAt == .distantPast ? -.infinity : state.lastSeenAt.timeIntervalSince1970
        battery = Self.packed(state.reading.battery)
        signal = Self.packed(state.reading.signal)
        condition = Int32(truncatingIfNeeded: state.condition.rawValue)
        format = UInt8(PayloadFormat.allCases.firstIndex(of: state.format) ?? 0)
    }

    func state(of deviceID: String) -> DeviceLiveState {
        DeviceLiveState(
            deviceID: deviceID, format: PayloadFormat.allCases[Int(format)],
            lastSeenAt: hasBeenHeard ? Date(timeIntervalSince1970: lastSeen) : .distantPast,
            reading: DeviceReading(battery: Self.unpacked(battery), signal: Self.unpacked(signal)),
            condition: DeviceCondition(rawValue: Int(condition)))
    }

    /// A reading beyond 32 bits (none is real) is held at the nearest bound.
    private static func packed(_ value: Int?) -> Int32 {
        guard let value else { return none }
        return Int32(clamping: value) == none ? none + 1 : Int32(clamping: value)
    }

    private static func unpacked(_ value: Int32) -> Int? {
        value == none ? nil : Int(value)
    }
}

extension LiveSlot {
    /// The slot once `decoded` is applied, by the same rule as `DeviceLiveState.absorb`; the
    /// flush mark is kept.
    mutating func absorb(_ decoded: DecodedMessage, receivedAt: Date) {
        var live = state(of: decoded.deviceID)
        live.absorb(decoded, receivedAt: receivedAt)
        let wasDirty = dirty
        self = LiveSlot(live)
        dirty = wasDirty
    }
}
