/// What an incident is about; the contract's `kind`.
public enum IncidentKind: String, Sendable, CaseIterable, Codable {
    /// Smoke: climbs the escalation ladder until people acknowledge.
    case fire
    /// The detector reports a fault of its own: a job for the grid worker.
    case fault
    /// The detector was taken off its base or opened.
    case tamper
    /// The battery needs replacing.
    case lowBattery = "low_battery"
    /// Not heard within its profile's `offline_after`, or reported offline by its network.
    case offline

    /// The maintenance incident an event opens, if it opens one.
    public init?(opening kind: EventKind) {
        switch kind {
        case .fault: self = .fault
        case .tamper: self = .tamper
        case .lowBattery: self = .lowBattery
        case .offline: self = .offline
        case .alarm: self = .fire
        default: return nil
        }
    }

    /// The maintenance incident an event closes, if it closes one.
    public init?(closing kind: EventKind) {
        switch kind {
        case .faultClear: self = .fault
        case .tamperClear: self = .tamper
        case .online: self = .offline
        case .batteryRestored: self = .lowBattery
        default: return nil
        }
    }
}
