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

/// Where an incident is in its life: open → acknowledged → resolved.
public enum IncidentState: String, Sendable, CaseIterable, Codable {
    /// Nobody has answered: a fire keeps climbing the ladder.
    case open
    /// Someone is on it: the ladder has stopped, the incident is not yet over.
    case acknowledged
    /// Over, with a cause; nothing more is sent for it.
    case resolved
}

/// What a dispatched message asks of the unit that receives it; the contract's `action`.
public enum DispatchAction: String, Sendable, Codable {
    /// You are called: respond.
    case notify
    /// Someone has acknowledged an incident you were called for.
    case ack
    /// The incident you were called for is over.
    case resolve
    /// To a street's command centre: a call about this incident could not be delivered to
    /// the people it was for (a receiver refused it for good, or retries ran past their bound).
    case callFailed = "call_failed"
}
