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

/// What one step came to, for comparing two desks.
public enum RulebookOutcome: Equatable, Sendable {
    case done
    case relatched([Int64])
    case refused
    case skipped
}

/// What the scenario itself knows, independently of any desk: which detectors sense smoke
/// (from the alarms and clears it sent), and the silences it added and lifted.
public struct RulebookFacts: Sendable {
    public var sensing: Set<String> = []
    public var silences: [(id: Int64, target: Silence.Target, from: TimeInterval, until: TimeInterval, liftedAt: TimeInterval?)] =
        []

    mutating func record(_ kind: EventKind, from device: String) {
        if kind == .alarm { sensing.insert(device) }
        if kind == .alarmClear { sensing.remove(device) }
    }

    /// Whether a silence covers `device` (itself or its grid) at `seconds`.
    public func covered(_ device: String, at seconds: TimeInterval) -> Bool {
        let grid = TestStreet.directory.site(of: device).gridID
        return silences.contains { silence in
            let applies = silence.target == .device(device) || grid.map { silence.target == .grid($0) } == true
            return applies && silence.from <= seconds && seconds < silence.until
                && (silence.liftedAt.map { $0 > seconds } ?? true)
        }
    }

    /// Whether silence `id` has ended or been lifted by `seconds`.
    public func ended(_ id: Int64, by seconds: TimeInterval) -> Bool {
        silences.first { $0.id == id }.map { $0.until <= seconds || $0.liftedAt != nil } ?? false
    }
}
