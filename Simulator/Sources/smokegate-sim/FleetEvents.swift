import SmokeGateCore

/// What the fleet injects between heartbeats, and what follows from it.
///
/// Half the injections are alarms: half of those clear a while later, a quarter spread to
/// the next detector of the same venue. The rest are faults, low batteries, tampers and tests.
struct FleetEvents {
    /// Detectors per venue, in id order: 1–4 share a venue, 5–8 the next, …
    static let venueSize = 4
    /// Messages between an alarm and its clear or its spread.
    static let followUpAfter = 200

    private var random: SplitMix64
    /// Follow-ups due at a message index: (index, detector, kind).
    private var pending: [(due: Int, detector: Int, kind: FleetEventKind)] = []
    private(set) var counts: [FleetEventKind: Int] = [:]

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
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
