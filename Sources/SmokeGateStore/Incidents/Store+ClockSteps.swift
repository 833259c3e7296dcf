import Foundation
import GRDB

extension Store {
    /// Moves the times that are schedules, not records, by `seconds`, in one durable
    /// transaction: the ladder origin and next deadline of every unresolved incident, and the
    /// next attempt of every notification not yet sent. The wall clock stepped by `seconds`;
    /// moved with it, each deadline stays the same real time away.
    ///
    /// Records are left as they happened: events, timelines, `opened_at`, acknowledgements,
    /// device states. Operator silences are left too: they are appointments on the wall clock
    /// ("until 18:00"), which the step has just put right.
    ///
    /// `beforeCommit` runs inside the transaction, once the rows have moved: the daemon moves
    /// its own clock there, so that no other writer sees the moved rows with the old clock or
    /// the old rows with the new one. If it throws, nothing moves.
    @discardableResult
    public func shiftSchedules(by seconds: TimeInterval, beforeCommit: () throws -> Void = {}) throws -> ShiftedSchedules {
        try durableWrite { db in
            // A row written before v7 (or by a version that does not set it) has its ladder
            // counted from its opening.
            try db.execute(
                sql: """
                    UPDATE incident SET next_deadline_at = next_deadline_at + ?,
                      ladder_origin_at = coalesce(ladder_origin_at, opened_at) + ?
                    WHERE state != 'resolved'
                    """,
                arguments: [seconds, seconds])
            let incidents = try db.changesCount
            try db.execute(
                sql: "UPDATE outbox SET next_attempt_at = next_attempt_at + ? WHERE sent_at IS NULL", arguments: [seconds])
            let notifications = try db.changesCount
            // A delivery's next attempt, and when its delay becomes the street's alarm, too.
            try db.execute(
                sql: """
                    UPDATE delivery SET next_attempt_at = next_attempt_at + ?, tell_after = tell_after + ?
                    WHERE state = 'waiting'
                    """, arguments: [seconds, seconds])
            // A group's next message and its spacing keep to the monotonic clock too.
            try db.execute(
                sql: "UPDATE dispatch_group SET due_at = due_at + ?, last_sent_at = last_sent_at + ?",
                arguments: [seconds, seconds])
            try beforeCommit()
            return ShiftedSchedules(incidents: incidents, notifications: notifications)
        }
    }

    /// How far the wall clock stepped while no daemon ran, if it can be known: the status row
    /// was written in this boot, so the boot clock says how much real time has passed since
    /// its `updated_at`, and the wall clock should have moved as much. Nil for a row from an
    /// earlier boot (or an older version, or without a boot id): clocks across a reboot cannot
    /// be compared.
    public func wallStepSinceLastStatus(now: Date, boot: BootClock) throws -> TimeInterval? {
        // Both boot ids are needed: without them a reboot is only guessed, and a guess must
        // not move deadlines.
        guard let status = try readStatus(), let written = status.bootID.flatMap({ BootClock.normalised($0) }),
            written == boot.bootID, case .boot(let elapsed) = status.age(now: now, boot: boot)
        else { return nil }
        return now.timeIntervalSince(status.updatedAt) - elapsed
    }
}
