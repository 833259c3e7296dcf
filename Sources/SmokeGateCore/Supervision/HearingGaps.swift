import Foundation

/// Since when the gateway has heard without a gap: a detector's time unheard is counted only from there.
///
/// A detector is offline when the gateway could hear it and did not. While the broker session
/// is down, ingest is stuck on the database (heartbeats wait unread in the socket) or the
/// process is paused, the gateway cannot hear, and a detector unheard then says nothing
/// about the detector (field rule 6). After such a gap every detector has its whole
/// `offline_after` again, exactly as after a broker outage: the messages held meanwhile are
/// read first, and a million detectors that were fine all along page nobody.
public struct HearingGaps: Sendable, Equatable {
    /// When hearing last resumed after a gap (or supervision started); nil while deaf.
    public private(set) var resumedAt: Date?

    public init(listeningSince start: Date) {
        resumedAt = start
    }

    /// Records one look at the gateway: `deaf` when ingest is stuck or the process was paused,
    /// `sessionUpSince` when the broker session came up (nil while it is down). Returns the
    /// moment unheard time is counted from, or nil while nobody may be declared offline.
    public mutating func observe(deaf: Bool, sessionUpSince: Date?, at now: Date) -> Date? {
        if deaf {
            resumedAt = nil
            return nil
        }
        let resumed = resumedAt ?? now
        resumedAt = resumed
        return sessionUpSince.map { max($0, resumed) }
    }

    /// Moves the moment with a wall-clock step, as the rest of supervision moves.
    public mutating func shift(by seconds: TimeInterval) {
        resumedAt = resumedAt?.addingTimeInterval(seconds)
    }
}
