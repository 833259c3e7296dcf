/// What one code of a state property means.
public enum ThingMeaning: Sendable, Hashable {
    /// The event this code reports. Clearing kinds (`alarm_clear`, `fault_clear`,
    /// `tamper_clear`, `battery_restored`) are events only while the detector is in that
    /// condition: a periodic report that says "no smoke" is proof of life, not a clear.
    /// `.event(.heartbeat)` is proof of life and nothing more.
    case event(EventKind)
    /// "All is well" (CTWing's `Alarm_Status` 7): ends an alarm in force, else a fault, else
    /// it is proof of life.
    case normal

    /// The names the configuration uses: every event kind's own name (`heartbeat`: proof of
    /// life only), and `normal`.
    public init?(name: String) {
        switch name {
        case "normal": self = .normal
        default:
            guard let kind = EventKind(rawValue: name) else { return nil }
            self = .event(kind)
        }
    }

    /// The name the configuration and the docs use.
    public var name: String {
        switch self {
        case .normal: "normal"
        case .event(let kind): kind.rawValue
        }
    }

    /// Every name a table may use, for error messages.
    public static let names: [String] =
        ["normal"] + EventKind.allCases.map(\.rawValue)
}
