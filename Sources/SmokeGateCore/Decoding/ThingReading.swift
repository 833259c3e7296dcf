/// Which measurement a reading property carries.
public enum ThingReading: String, Sendable, CaseIterable, Hashable {
    /// Battery charge in percent (0–100).
    case battery
    /// Signal strength as the network reports it (RSRP, RSSI; −200…200).
    case signal
    /// Smoke density, in the product's own unit.
    case smoke
    /// Temperature in °C.
    case temperature
}
