import Foundation
import SmokeGateCore

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
