import Foundation
import SmokeGateCore

/// The promises the rulebook keeps after every step of any scenario, checked from what the
/// desk shows (its calls, incidents and timelines) and what the scenario knows.
struct RulebookInvariants {
    /// Incidents resolved by an earlier step.
    private var resolved: Set<Int64> = []
    /// Tiers told `notify` about each incident so far.
    private var notified: [Int64: Set<Tier>] = [:]

    mutating func check(
        after step: RulebookScenario.Step, at seconds: TimeInterval, outcome: RulebookOutcome,
        desk: some RulebookDesk, before: [Int64: Incident], newCalls: [RulebookCall], facts: RulebookFacts
    ) throws -> [String] {
        let incidents = try desk.incidents()
        let unresolved = incidents.values.filter(\.isUnresolved)
        let liveFires = unresolved.filter { $0.kind == .fire && !$0.isSilenced }
        let inLiveFire = Set(liveFires.flatMap(\.members))
        let now = VirtualDesk.start.addingTimeInterval(seconds)
        var broken: [String] = []
        func fail(_ promise: String) { broken.append("at \(seconds)s after \(step): \(promise)") }

        // Field rule 1: every alarm of a detector outside a silence calls someone, unless its
        // live fire is open, unacknowledged and has tiers left to call.
        if case .event(.alarm, let device) = step, !facts.covered(device, at: seconds) {
            let called = newCalls.contains { $0.action == .notify && incidents[$0.incident]?.hasMember(device) == true }
            let pending = liveFires.contains {
                $0.hasMember(device) && $0.state == .open && !$0.tiersLeft.isEmpty && ($0.nextDeadline.map { $0 > now } ?? false)
            }
            if !called && !pending {
                let its = unresolved.filter { $0.hasMember(device) }.sorted { $0.id < $1.id }
                    .map {
                        "\($0.id) \($0.kind.rawValue) \($0.state.rawValue) silenced=\($0.isSilenced) called=\($0.calledInOrder)"
                    }
                fail("the alarm of \(device) called nobody and no call is pending; its incidents: \(its)")
            }
        }
        for call in newCalls {
            // Nothing is called about an incident after it was resolved.
            if resolved.contains(call.incident) { fail("\(call) about an incident already resolved") }
            // An acknowledgement is told only to tiers that were called.
            if call.action == .ack, notified[call.incident]?.contains(call.tier) != true {
                fail("\(call) told to a tier never called")
            }
            if call.action == .notify {
                notified[call.incident, default: []].insert(call.tier)
                // Nobody is called about what a silence hides.
                if incidents[call.incident]?.isSilenced == true { fail("\(call) about an incident a silence hides") }
            }
        }
        for (id, incident) in incidents where !incident.isUnresolved { resolved.insert(id) }
        for incident in unresolved {
            // Whatever fell due has fired, and a climbing fire always has its next call set.
            if let deadline = incident.nextDeadline, deadline <= now {
                fail("incident \(incident.id) has a deadline in the past")
            }
            if incident.state == .open, !incident.isSilenced, !incident.tiersLeft.isEmpty, incident.nextDeadline == nil {
                fail("incident \(incident.id) is climbing with no next call set")
            }
            // No tier is called by the ladder twice in one arming of the incident (looked at when
            // the incident was called in this step).
            if newCalls.contains(where: { $0.incident == incident.id }) {
                let timeline = try desk.timeline(incident.id)
                let armings = 1 + timeline.filter { $0.action == .rearmed || $0.action == .released }.count
                for tier in Tier.allCases {
                    let ladderCalls = timeline.filter {
                        $0.action == .called && $0.tier == tier && $0.note?.hasPrefix("not acknowledged") == true
                    }
                    if ladderCalls.count > armings {
                        fail("incident \(incident.id): the ladder called \(tier) \(ladderCalls.count) times")
                    }
                }
            }
            // A silence that has ended hides nothing still true (smoke still sensed by a detector
            // with no live fire of its own, or a maintenance job still open).
            if incident.isSilenced, let silence = incident.silenceID, facts.ended(silence, by: seconds),
                !facts.covered(incident.site.deviceID, at: seconds),
                incident.kind != .fire
                    || incident.members.contains(where: { facts.sensing.contains($0) && !inLiveFire.contains($0) })
            {
                fail("incident \(incident.id) is still hidden by silence \(silence), which has ended")
            }
        }
        // A detector belongs to one live fire at most.
        if liveFires.flatMap(\.members).count != inLiveFire.count {
            let listed = liveFires.sorted { $0.id < $1.id }.map { "\($0.id) \($0.state.rawValue) \($0.members)" }
            fail("a detector belongs to two live fires: \(listed)")
        }
        // A reset re-latches: a detector of a resolved fire still sensing smoke has a fire again,
        // called at once unless a silence covers it.
        if case .relatched(let ids) = outcome,
            let resolvedFire = before.values.first(where: { old in
                old.isUnresolved && incidents[old.id]?.isUnresolved == false
            }), resolvedFire.kind == .fire
        {
            for member in resolvedFire.members where facts.sensing.contains(member) {
                // A detector whose smoke is already in another fire is not re-latched twice.
                let elsewhere = unresolved.contains { $0.kind == .fire && !ids.contains($0.id) && $0.hasMember(member) }
                if elsewhere { continue }
                guard let fire = ids.compactMap({ incidents[$0] }).first(where: { $0.hasMember(member) }) else {
                    fail("\(member) still senses smoke but resolving incident \(resolvedFire.id) re-latched nothing")
                    continue
                }
                if !facts.covered(member, at: seconds),
                    !newCalls.contains(where: { $0.incident == fire.id && $0.action == .notify })
                {
                    fail("the fire re-latched for \(member) called nobody")
                }
            }
        }
        return broken
    }
}
