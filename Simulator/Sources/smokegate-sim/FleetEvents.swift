/// A repeatable source of randomness: SplitMix64, so `fleet --seed N` sends the same traffic
/// on every run and machine.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What the fleet injects between heartbeats, and what follows from it.
///
/// Half the injections are alarms: half of those clear a while later, a quarter spread to
/// the next detector of the same venue. The rest are faults, low batteries, tampers and tests.
struct FleetEvents {
    /// Detectors per venue, in id order: 1–4 share a venue, 5–8 the next, …
    static let venueSize = 4
    /// Messages between an alarm and its clear or its spread.
    static let followUpAfter = 200

    private var random: SeededGenerator
    /// Follow-ups due at a message index: (index, detector, kind).
    private var pending: [(due: Int, detector: Int, kind: FleetEventKind)] = []
    private(set) var counts: [FleetEventKind: Int] = [:]

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    /// The event to send as message `index` instead of a heartbeat, if any: a follow-up that
    /// is due, or a new injection with probability `probability`.
    mutating func event(at index: Int, probability: Double, devices: Int) -> (detector: Int, kind: FleetEventKind)? {
        if let next = pending.firstIndex(where: { $0.due <= index }) {
            let followUp = pending.remove(at: next)
            counts[followUp.kind, default: 0] += 1
            return (followUp.detector, followUp.kind)
        }
        guard probability > 0, Double.random(in: 0..<1, using: &random) < probability else { return nil }
        let detector = Int.random(in: 0..<devices, using: &random)
        let roll = Double.random(in: 0..<1, using: &random)
        let kind: FleetEventKind
        switch roll {
        case ..<0.5:
            kind = .alarm
            let followUp = Double.random(in: 0..<1, using: &random)
            if followUp < 0.5 {
                pending.append((index + Self.followUpAfter, detector, .alarmClear))
            } else if followUp < 0.75, detector + 1 < devices, (detector + 1) % Self.venueSize != 0 {
                pending.append((index + Self.followUpAfter / 2, detector + 1, .alarm))
            }
        case ..<0.65: kind = .fault
        case ..<0.75: kind = .lowBattery
        case ..<0.85: kind = .tamper
        default: kind = .test
        }
        counts[kind, default: 0] += 1
        return (detector, kind)
    }
}

/// The events `fleet` injects.
enum FleetEventKind: String, CaseIterable {
    case alarm, alarmClear = "alarm_clear", fault, lowBattery = "low_battery", tamper, test
}
