import Foundation

/// The incident state machine: events in, actions out, time passed in.
///
/// Nothing here reads a clock or touches storage, so a test walks fifteen minutes of
/// escalation in microseconds; the store performs the returned actions in the transaction
/// that saves the incident. Which of these operations an event causes is decided by the
/// rulebook, `IncidentRules`.
extension Incident {
    /// A call made later than this after its due time is marked late on the timeline (the
    /// gateway was not running, or could not write, when it fell due).
    public static let lateTolerance: TimeInterval = 1

    /// Opens an incident at `now` and makes the calls due at once.
    ///
    /// The incident follows `ladder` as it applies to its kind and place (see
    /// `EscalationLadder.applied`). With a `silence` (a silence covering the detector or its
    /// grid) it is recorded and listed but its ladder is empty: nobody is called. `resuming`
    /// names tiers called about this fire before (a re-latch): they are called again at once,
    /// and the rest of the ladder keeps its spacing from there.
    public static func open(
        _ kind: IncidentKind, site: IncidentSite, ladder: EscalationLadder, at now: Date, reason: String,
        silence: CoveringSilence? = nil, members: [String]? = nil, resuming previous: Set<Tier> = []
    ) -> (Incident, [IncidentAction]) {
        let opened = IncidentAction.record(TimelineEntry(at: now, action: .opened, note: reason))
        if let silence {
            let incident = Incident(
                kind: kind, site: site, members: members, openedAt: now, ladder: .nobodyCalled, silence: silence)
            let silenced = TimelineEntry(at: now, action: .silenced, note: "\(silence.label): recorded, nobody called")
            return (incident, [opened, .record(silenced), .schedule(nil)])
        }
        let applied = ladder.applied(to: kind, placed: site.isPlaced)
        var incident = Incident(
            kind: kind, site: site, members: members, openedAt: now,
            ladderOrigin: now.addingTimeInterval(-applied.offset(reached: previous).secondsValue), ladder: applied)
        let calls = incident.callDue(at: now, atOnceFor: reason)
        return (incident, [opened] + calls)
    }

    /// A deadline of this incident has passed: calls every tier of the ladder now due, in
    /// tier order, marking a call late when the gateway was not there to make it on time;
    /// or, once every tier is called or someone has acknowledged, reminds the tiers called.
    public mutating func deadlineReached(at now: Date) -> [IncidentAction] {
        guard state != .resolved else {
            nextDeadline = nil
            return [.schedule(nil)]
        }
        if state == .open, let due = nextLadderDeadline, due <= now {
            return callDue(at: now, atOnceFor: nil)
        }
        guard let deadline = nextDeadline, deadline <= now else { return [.schedule(nextDeadline)] }
        return remind(at: now)
    }

    /// Calls at once every tier of the ladder not yet called, and tells those already called
    /// why: the fire is growing (a second detector at the venue) or its detector has gone
    /// unheard. This is evidence, not the clock, so it applies to an acknowledged fire too.
    public mutating func escalateAll(at now: Date, reason: String) -> [IncidentAction] {
        guard state != .resolved else { return [] }
        var actions = retell(at: now, reason: reason)
        for tier in tiersLeft {
            called.insert(tier)
            actions += Self.call(tier, at: now, reason: reason)
        }
        if state == .open { nextDeadline = reminderDeadline(from: now) }
        return actions + [.schedule(nextDeadline)]
    }

    /// Tells every tier called so far again, as a call (`notify`): news they must hear, on an
    /// incident whose ladder will not call them again by itself.
    public func retell(at now: Date, reason: String) -> [IncidentAction] {
        calledInOrder.flatMap { Self.call($0, at: now, reason: reason) }
    }

    /// New smoke after an acknowledgement: the acknowledgement no longer covers the fire, so
    /// it is open again, the tiers called are told, and the ladder resumes for the tiers not
    /// yet called, keeping its spacing from the highest tier reached.
    public mutating func rearm(at now: Date, reason: String) -> [IncidentAction] {
        guard state == .acknowledged else { return [] }
        state = .open
        ackedBy = nil
        ackedAt = nil
        ladderOrigin = now.addingTimeInterval(-ladder.offset(reached: called).secondsValue)
        let line = IncidentAction.record(TimelineEntry(at: now, action: .rearmed, note: reason))
        return [line] + retell(at: now, reason: reason) + callDue(at: now, atOnceFor: reason)
    }

    /// The silence that hid this incident has ended and what it hid is still true: it is
    /// called as if it opened now, on `ladder` (the one in force now), even if someone
    /// acknowledged it while it was hidden: nobody was called then. Still under another silence
    /// (`silence`), it only changes which silence hides it.
    public mutating func release(ladder: EscalationLadder, silence: CoveringSilence?, at now: Date, reason: String)
        -> [IncidentAction]
    {
        if let silence {
            self.silence = silence
            return [.record(TimelineEntry(at: now, action: .silenced, note: "\(silence.label): still recorded, nobody called"))]
        }
        self.silence = nil
        self.ladder = ladder.applied(to: kind, placed: site.isPlaced)
        ladderOrigin = now
        state = .open
        ackedBy = nil
        ackedAt = nil
        let line = IncidentAction.record(TimelineEntry(at: now, action: .released, note: reason))
        return [line] + callDue(at: now, atOnceFor: reason)
    }

    /// Adds a line to the timeline and changes nothing else (a repeated alarm, a clear, a mute).
    public func note(_ action: TimelineEntry.Action, at now: Date, note: String) -> [IncidentAction] {
        [.record(TimelineEntry(at: now, action: action, note: note))]
    }

    /// A person has taken the incident: the ladder stops and every tier called is told. A
    /// fire is reminded after the ladder's `reminder` if nobody resolves it.
    public mutating func acknowledge(by person: String, note: String?, at now: Date) throws(IncidentRefusal) -> [IncidentAction] {
        switch state {
        case .open: break
        case .acknowledged:
            throw IncidentRefusal(incidentID: id, reason: .alreadyAcknowledged(by: ackedBy ?? "someone", at: ackedAt ?? now))
        case .resolved:
            throw IncidentRefusal(incidentID: id, reason: .resolvedBeforeAcknowledgement(at: resolvedAt ?? now))
        }
        state = .acknowledged
        ackedBy = person
        ackedAt = now
        nextDeadline = reminderDeadline(from: now)
        let reason = "acknowledged by \(person)"
        return [.record(TimelineEntry(at: now, action: .acknowledged, by: person, note: note)), .schedule(nextDeadline)]
            + calledInOrder.map { .dispatch(tier: $0, action: .ack, reason: reason) }
    }

    /// Closes the incident and tells every tier called. `by` is a person, or `device` when a
    /// detector's own clear ends a maintenance incident. What still burns is the rulebook's
    /// business (rule 10), not this.
    public mutating func resolve(by person: String, cause: String, note: String?, at now: Date) throws(IncidentRefusal)
        -> [IncidentAction]
    {
        guard state != .resolved else {
            throw IncidentRefusal(incidentID: id, reason: .alreadyResolved(by: resolvedBy ?? "someone", at: resolvedAt ?? now))
        }
        state = .resolved
        resolvedBy = person
        resolvedAt = now
        self.cause = cause
        nextDeadline = nil
        let line = note.map { "cause: \(cause); \($0)" } ?? "cause: \(cause)"
        return [.record(TimelineEntry(at: now, action: .resolved, by: person, note: line)), .schedule(nil)]
            + calledInOrder.map { .dispatch(tier: $0, action: .resolve, reason: "resolved by \(person): \(cause)") }
    }

    /// When the ladder next calls a tier, if it has tiers left.
    public var nextLadderDeadline: Date? {
        ladder.steps.filter { !called.contains($0.tier) }.map { ladderOrigin.addingTimeInterval($0.after.secondsValue) }.min()
    }

    /// Reminds the tiers called that the fire is still not over.
    private mutating func remind(at now: Date) -> [IncidentAction] {
        let reason =
            state == .acknowledged
            ? "reminder: acknowledged by \(ackedBy ?? "someone") at \(RFC3339.format(ackedAt ?? now)) and not yet resolved"
            : "reminder: every tier has been called and nobody has acknowledged"
        nextDeadline = reminderDeadline(from: now)
        return [.record(TimelineEntry(at: now, action: .reminded, note: reason))] + retell(at: now, reason: reason)
            + [.schedule(nextDeadline)]
    }

    private func reminderDeadline(from now: Date) -> Date? {
        ladder.reminder.map { now.addingTimeInterval($0.secondsValue) }
    }

    /// Calls the tiers due by `now` and works out the next deadline. With `atOnceFor`, the
    /// calls are the immediate ones of an opening, a re-arm or a release, made for that
    /// reason and never marked late.
    private mutating func callDue(at now: Date, atOnceFor immediate: String?) -> [IncidentAction] {
        var actions: [IncidentAction] = []
        for step in ladder.steps where !called.contains(step.tier) {
            let due = ladderOrigin.addingTimeInterval(step.after.secondsValue)
            guard due <= now else { continue }
            called.insert(step.tier)
            if let immediate {
                actions += Self.call(step.tier, at: now, reason: immediate)
                continue
            }
            let reason = "not acknowledged \(DurationText.format(step.after)) after it opened"
            let lateBy = now.timeIntervalSince(due)
            let late = "late by \(DurationText.format(.milliseconds(Int64(lateBy * 1_000)))), due at \(RFC3339.format(due))"
            actions += Self.call(step.tier, at: now, reason: lateBy > Self.lateTolerance ? "\(reason); \(late)" : reason)
        }
        nextDeadline = nextLadderDeadline ?? (state == .open ? reminderDeadline(from: now) : nextDeadline)
        return actions + [.schedule(nextDeadline)]
    }

    private static func call(_ tier: Tier, at now: Date, reason: String) -> [IncidentAction] {
        [
            .record(TimelineEntry(at: now, action: .called, tier: tier, note: reason)),
            .dispatch(tier: tier, action: .notify, reason: reason),
        ]
    }
}
