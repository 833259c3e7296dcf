import Foundation

/// A detector, or a whole grid, silenced for a while (renovation, maintenance): its
/// incidents are recorded and listed, but nobody is called. It ends by itself.
public struct Silence: Sendable, Equatable {
    /// What is silenced.
    public enum Target: Sendable, Equatable {
        case device(String)
        case grid(String)

        public var kind: String {
            switch self {
            case .device: "device"
            case .grid: "grid"
            }
        }

        public var id: String {
            switch self {
            case .device(let id), .grid(let id): id
            }
        }
    }

    public var id: Int64
    public var target: Target
    public var reason: String
    public var by: String
    public var osUser: String?
    public var startsAt: Date
    public var endsAt: Date
    public var liftedAt: Date?
    public var liftedBy: String?

    public init(
        id: Int64 = 0, target: Target, reason: String, by: String, osUser: String?, startsAt: Date, endsAt: Date,
        liftedAt: Date? = nil, liftedBy: String? = nil
    ) {
        self.id = id
        self.target = target
        self.reason = reason
        self.by = by
        self.osUser = osUser
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.liftedAt = liftedAt
        self.liftedBy = liftedBy
    }

    /// Whether it covers at `now`: started, not ended, not lifted.
    public func isActive(at now: Date) -> Bool {
        liftedAt == nil && startsAt <= now && now < endsAt
    }

    /// How an incident it covers names it.
    public var label: String {
        "silence \(id) (\(target.kind) \(target.id): \(reason)) until \(RFC3339.format(endsAt))"
    }
}
