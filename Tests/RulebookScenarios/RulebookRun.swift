import Foundation
import SmokeGateCore

/// Plays a `RulebookScenario` on one desk and checks, after every step, the promises the
/// rulebook keeps whatever happens (`RulebookInvariants`). What the scenario asks is turned
/// into operations here, once, so two desks given the same scenario are asked the same.
public struct RulebookRun<Desk: RulebookDesk> {
    public private(set) var desk: Desk
    public private(set) var facts = RulebookFacts()
    private var invariants = RulebookInvariants()

    public init(_ desk: Desk) {
        self.desk = desk
    }

    /// Performs `step` at `seconds`; returns its outcome and the broken promises, if any.
    public mutating func perform(_ step: RulebookScenario.Step, at seconds: TimeInterval) throws -> (RulebookOutcome, [String]) {
        let before = try desk.incidents()
        let callsBefore = desk.calls.count
        let outcome = try carryOut(step, at: seconds, unresolved: before.values.filter(\.isUnresolved).sorted { $0.id < $1.id })
        let broken = try invariants.check(
            after: step, at: seconds, outcome: outcome, desk: desk, before: before, newCalls: Array(desk.calls[callsBefore...]),
            facts: facts)
        return (outcome, broken)
    }

    private mutating func carryOut(_ step: RulebookScenario.Step, at seconds: TimeInterval, unresolved: [Incident]) throws
        -> RulebookOutcome
    {
        switch step {
        case .event(let kind, let device):
            try desk.event(kind, from: device, at: seconds)
            facts.record(kind, from: device)
        case .wentOffline(let device): try desk.wentOffline(device, at: seconds)
        case .heardAgain(let device): try desk.heardAgain(device, at: seconds)
        case .acknowledge(let pick):
            guard !unresolved.isEmpty else { return .skipped }
            do {
                try desk.acknowledge(unresolved[pick % unresolved.count].id, by: "值班", at: seconds)
            } catch is IncidentRefusal {
                try desk.advance(to: seconds)
                return .refused
            }
        case .resolve(let pick):
            guard !unresolved.isEmpty else { return .skipped }
            return .relatched(try desk.resolve(unresolved[pick % unresolved.count].id, by: "值班", cause: "other", at: seconds))
        case .addSilence(let target, let minutes):
            let id = try desk.addSilence(target, from: seconds, until: seconds + TimeInterval(minutes * 60))
            facts.silences.append((id, target, seconds, seconds + TimeInterval(minutes * 60), nil))
        case .liftSilence(let pick):
            let inForce = facts.silences.indices.filter {
                facts.silences[$0].liftedAt == nil && facts.silences[$0].until > seconds
            }
            guard !inForce.isEmpty else {
                try desk.advance(to: seconds)
                return .skipped
            }
            let index = inForce[pick % inForce.count]
            try desk.liftSilence(facts.silences[index].id, at: seconds)
            facts.silences[index].liftedAt = seconds
        case .wait:
            try desk.advance(to: seconds)
        }
        return .done
    }
}
