import Foundation
import SmokeGateCore

/// A seeded random sequence of what happens to a street: detectors alarming, clearing and
/// going offline at several venues, operators acknowledging and resolving, silences added and
/// lifted, time passing. The same seed gives the same scenario on every run and machine.
public struct RulebookScenario: Sendable, CustomStringConvertible {
    /// One thing that happens, at a time in seconds after the start.
    public enum Step: Sendable, CustomStringConvertible {
        case event(EventKind, String)
        case wentOffline(String)
        case heardAgain(String)
        /// An operator answers the unresolved incident at this index (modulo their count).
        case acknowledge(pick: Int)
        case resolve(pick: Int)
        case addSilence(Silence.Target, minutes: Int)
        /// Lifts the silence in force at this index (modulo their count), if any is.
        case liftSilence(pick: Int)
        case wait

        public var description: String {
            switch self {
            case .event(let kind, let device): "\(kind.rawValue) from \(device)"
            case .wentOffline(let device): "\(device) offline"
            case .heardAgain(let device): "\(device) heard again"
            case .acknowledge(let pick): "acknowledge #\(pick)"
            case .resolve(let pick): "resolve #\(pick)"
            case .addSilence(let target, let minutes): "silence \(target.kind) \(target.id) for \(minutes)m"
            case .liftSilence(let pick): "lift silence #\(pick)"
            case .wait: "time passes"
            }
        }
    }

    public var seed: UInt64
    public var steps: [(at: TimeInterval, step: Step)]

    /// The ladder property runs use: compressed, so that a few dozen steps cross every tier
    /// and several reminders.
    public static let ladder = EscalationLadder(
        steps: [
            .init(tier: .grid, after: .zero), .init(tier: .community, after: .seconds(60)),
            .init(tier: .street, after: .seconds(180)), .init(tier: .station, after: .seconds(300)),
        ],
        reminder: .seconds(600))

    static let devices = TestStreet.registered + [TestStreet.stranger]

    /// `length` steps drawn from `seed`.
    public init(seed: UInt64, length: Int) {
        self.seed = seed
        var random = SplitMix64(seed: seed)
        var now: TimeInterval = 0
        var steps: [(TimeInterval, Step)] = []
        for _ in 0..<length {
            // Mostly seconds apart, sometimes long enough to cross the ladder and its reminders.
            now +=
                Int.random(in: 0..<10, using: &random) == 0
                ? TimeInterval(Int.random(in: 120...1_200, using: &random)) : TimeInterval(Int.random(in: 0...90, using: &random))
            steps.append((now, Self.step(&random)))
        }
        self.steps = steps
    }

    private static func step(_ random: inout SplitMix64) -> Step {
        let device = devices.randomElement(using: &random)!
        let kinds: [(EventKind, Int)] = [
            (.alarm, 30), (.alarmClear, 15), (.mute, 4), (.fault, 3), (.faultClear, 2), (.tamper, 2), (.tamperClear, 2),
            (.lowBattery, 2), (.batteryRestored, 2), (.offline, 2), (.test, 1),
        ]
        let roll = Int.random(in: 0..<100, using: &random)
        switch roll {
        case 0..<60:
            var pick = Int.random(in: 0..<kinds.map(\.1).reduce(0, +), using: &random)
            for (kind, weight) in kinds {
                if pick < weight { return .event(kind, device) }
                pick -= weight
            }
            return .event(.alarm, device)
        case 60..<63: return .wentOffline(device)
        case 63..<66: return .heardAgain(device)
        case 66..<75: return .acknowledge(pick: Int.random(in: 0..<8, using: &random))
        case 75..<84: return .resolve(pick: Int.random(in: 0..<8, using: &random))
        case 84..<88:
            let target: Silence.Target =
                Bool.random(using: &random) ? .device(device) : .grid(["g1", "g2"].randomElement(using: &random)!)
            return .addSilence(target, minutes: Int.random(in: 1...20, using: &random))
        case 88..<91: return .liftSilence(pick: Int.random(in: 0..<4, using: &random))
        default: return .wait
        }
    }

    public var description: String {
        "seed \(seed):\n" + steps.map { String(format: "  %7.0fs  ", $0.at) + $0.step.description }.joined(separator: "\n")
    }
}
