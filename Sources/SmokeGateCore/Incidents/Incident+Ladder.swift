import Foundation

/// The incident state machine: events in, actions out, time passed in.
///
/// Nothing here reads a clock or touches storage, so a test walks fifteen minutes of
/// escalation in microseconds; the store performs the returned actions in the transaction
/// that saves the incident.
extension Incident {
    /// A call made later than this after its due time is marked late on the timeline (the
    /// gateway was not running, or could not write, when it fell due).
    public static let lateTolerance: TimeInterval = 1

    /// Opens an incident at `now` and makes the calls due at once.
    ///
    /// A fire follows `ladder`; a maintenance incident calls the grid only. A detector the
    /// chain cannot place has no grid or community to call: its incident goes straight to
    /// the street command centres, and a fire goes on to the station at its offset.
    ///
    /// With a `shield` (a silence covering the detector or its grid), the incident is
    /// recorded and listed but its ladder is empty: nobody is called.
    public static func open(
        _ kind: IncidentKind, site: IncidentSite, ladder: EscalationLadder, at now: Date, reason: String, shield: String? = nil
    ) -> (Incident, [IncidentAction]) {
        if let shield {
            let incident = Incident(
                kind: kind, site: site, openedAt: now, ladder: EscalationLadder(steps: []), shieldedBy: shield)
            return (
                incident,
                [
                    .record(TimelineEntry(at: now, action: .opened, note: reason)),
                    .record(TimelineEntry(at: now, action: .shielded, note: "\(shield): recorded, nobody called")),
                    .schedule(nil),
                ]
            )
        }
        let steps: [EscalationLadder.Step]
        switch (kind, site.isPlaced) {
        case (.fire, true): steps = ladder.steps
        case (.fire, false):
            steps = [.init(tier: .street, after: .zero)] + ladder.steps.filter { $0.tier == .station }
        case (_, true): steps = [.init(tier: .grid, after: .zero)]
        case (_, false): steps = [.init(tier: .street, after: .zero)]
        }
        var incident = Incident(kind: kind, site: site, openedAt: now, ladder: EscalationLadder(steps: steps))
        let opened = IncidentAction.record(TimelineEntry(at: now, action: .opened, note: reason))
        let calls = incident.callDue(at: now, firstReason: reason)
        return (incident, [opened] + calls)
    }

    /// A deadline of this incident has passed: calls every tier now due, in tier order,
    /// marking a call late when the gateway was not there to make it on time.
    public mutating func deadlineReached(at now: Date) -> [IncidentAction] {
        guard state == .open else {
            nextDeadline = nil
            return [.schedule(nil)]
        }
        return callDue(at: now, firstReason: nil)
    }

    /// Calls every tier of the ladder not yet called, at once: the fire is growing (a second
    /// detector at the venue) or its detector has gone silent. This is evidence, not the
    /// clock, so it applies to an acknowledged incident too.
    public mutating func escalateAll(at now: Date, reason: String) -> [IncidentAction] {
        guard state != .resolved else { return [] }
        var actions: [IncidentAction] = []
        for step in ladder.steps where !called.contains(step.tier) {
            called.insert(step.tier)
            actions += Self.call(step.tier, at: now, reason: reason)
        }
        nextDeadline = nil
        return actions + [.schedule(nil)]
    }

    /// Adds a line to the timeline and changes nothing else (a repeated alarm, a clear, a mute).
    public func note(_ action: TimelineEntry.Action, at now: Date, note: String) -> [IncidentAction] {
        [.record(TimelineEntry(at: now, action: action, note: note))]
    }

    /// A person has taken the incident: the ladder stops and every tier called is told.
    public mutating func acknowledge(by person: String, note: String?, at now: Date) throws(IncidentRefusal) -> [IncidentAction] {
        switch state {
        case .open: break
        case .acknowledged:
            throw IncidentRefusal(
                incidentID: id, message: "already acknowledged by \(ackedBy ?? "someone") at \(RFC3339.format(ackedAt ?? now))")
        case .resolved:
            throw IncidentRefusal(
                incidentID: id, message: "resolved at \(RFC3339.format(resolvedAt ?? now)); there is nothing to acknowledge")
        }
        state = .acknowledged
        ackedBy = person
        ackedAt = now
        nextDeadline = nil
        let reason = "acknowledged by \(person)"
        return [.record(TimelineEntry(at: now, action: .acknowledged, by: person, note: note)), .schedule(nil)]
            + calledInOrder.map { .dispatch(tier: $0, action: .ack, reason: reason) }
    }

    /// Closes the incident and tells every tier called. `by` is a person, or `device` when a
    /// detector's own clear ends a maintenance incident.
    public mutating func resolve(by person: String, cause: String, note: String?, at now: Date) throws(IncidentRefusal)
        -> [IncidentAction]
    {
        guard state != .resolved else {
            throw IncidentRefusal(
                incidentID: id,
                message: "already resolved by \(resolvedBy ?? "someone") at \(RFC3339.format(resolvedAt ?? now))")
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

    /// Calls the tiers due by `now` and works out the next deadline.
    private mutating func callDue(at now: Date, firstReason: String?) -> [IncidentAction] {
        var actions: [IncidentAction] = []
        for step in ladder.steps where !called.contains(step.tier) {
            let due = openedAt.addingTimeInterval(step.after.secondsValue)
            guard due <= now else { continue }
            called.insert(step.tier)
            let reason =
                step.after == .zero
                ? (firstReason ?? "called at once")
                : "not acknowledged \(DurationText.format(step.after)) after it opened"
            let lateBy = now.timeIntervalSince(due)
            let late = "late by \(DurationText.format(.milliseconds(Int64(lateBy * 1_000)))), due at \(RFC3339.format(due))"
            actions += Self.call(step.tier, at: now, reason: lateBy > Self.lateTolerance ? "\(reason); \(late)" : reason)
        }
        nextDeadline =
            ladder.steps
            .filter { !called.contains($0.tier) }
            .map { openedAt.addingTimeInterval($0.after.secondsValue) }
            .min()
        return actions + [.schedule(nextDeadline)]
    }

    private static func call(_ tier: Tier, at now: Date, reason: String) -> [IncidentAction] {
        [
            .record(TimelineEntry(at: now, action: .called, tier: tier, note: reason)),
            .dispatch(tier: tier, action: .notify, reason: reason),
        ]
    }
}
