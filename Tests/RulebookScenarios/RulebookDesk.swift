import Foundation
import SmokeGateCore

/// One implementation of the incident rules, driven in virtual time: the in-memory
/// `VirtualDesk`, or the real SQLite store (`StoreDesk` in the store's tests). The same
/// timelines (`RulebookTimelines`) and seeded property runs (`RulebookProperties`) drive
/// each, so that they cannot drift apart.
///
/// Every operation first lets time pass to `seconds`, firing what falls due meanwhile
/// (silence ends first, then deadlines, as the daemon's scheduler does).
public protocol RulebookDesk {
    /// Seconds since the scenario's start.
    var now: TimeInterval { get }
    /// Every message sent to a tier so far, in order.
    var calls: [RulebookCall] { get }
    /// Every incident, by id.
    func incidents() throws -> [Int64: Incident]
    func timeline(_ id: Int64) throws -> [TimelineEntry]

    /// A detector event, stored as the ingest path stores it.
    mutating func event(_ kind: EventKind, from device: String, at seconds: TimeInterval) throws
    /// Supervision found `device` not heard within its `offline_after`.
    mutating func wentOffline(_ device: String, at seconds: TimeInterval) throws
    /// Supervision heard `device` again after it was found offline.
    mutating func heardAgain(_ device: String, at seconds: TimeInterval) throws
    mutating func acknowledge(_ id: Int64, by person: String, at seconds: TimeInterval) throws
    /// Resolves; returns the ids of fires re-latched.
    @discardableResult
    mutating func resolve(_ id: Int64, by person: String, cause: String, at seconds: TimeInterval) throws -> [Int64]
    /// Silences `target` from `from` until `until`; returns the silence's id.
    @discardableResult
    mutating func addSilence(_ target: Silence.Target, from: TimeInterval, until: TimeInterval) throws -> Int64
    mutating func liftSilence(_ id: Int64, at seconds: TimeInterval) throws
    /// Lets time pass, firing every deadline and silence end as it falls due.
    mutating func advance(to seconds: TimeInterval) throws
}

extension RulebookDesk {
    /// The calls made about incident `id`.
    public func calls(about id: Int64) -> [RulebookCall] { calls.filter { $0.incident == id } }

    /// The one incident with `id`, which must exist.
    public func incident(_ id: Int64) throws -> Incident {
        guard let incident = try incidents()[id] else { throw RulebookFailure("no incident \(id)") }
        return incident
    }
}
