import Foundation

/// How old a status row is, measured so that a wall-clock step cannot fool it.
public enum StatusAge: Sendable, Equatable {
    /// Written in this boot: seconds on the boot clock since it was written.
    case boot(TimeInterval)
    /// Written in an earlier boot: whatever wrote it is not running.
    case earlierBoot
    /// Written by a daemon too old to stamp the boot clock: seconds on the wall clock, which
    /// a step moves (a status from before a backward step looks younger than it is).
    case wall(TimeInterval)

    /// Seconds since the row was written, where that is known.
    public var seconds: TimeInterval? {
        switch self {
        case .boot(let seconds), .wall(let seconds): seconds
        case .earlierBoot: nil
        }
    }

    /// Which clock measured it, for `status --json`.
    public var clock: String {
        switch self {
        case .boot: "boot"
        case .earlierBoot: "earlier_boot"
        case .wall: "wall"
        }
    }
}
