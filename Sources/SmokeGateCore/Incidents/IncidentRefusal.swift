import Foundation

/// Why a person's change to an incident was refused, as a value a caller can act on (the
/// CLI turns `noSuchIncident` into a hint; answer pages and the console show `message`).
public struct IncidentRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// What stood in the way.
    public enum Reason: Sendable, Equatable {
        /// No incident has this id.
        case noSuchIncident
        /// Someone acknowledged it first.
        case alreadyAcknowledged(by: String, at: Date)
        /// It is resolved: there is nothing left to acknowledge.
        case resolvedBeforeAcknowledgement(at: Date)
        /// Someone resolved it first.
        case alreadyResolved(by: String, at: Date)
    }

    public var incidentID: Int64
    public var reason: Reason

    public init(incidentID: Int64, reason: Reason) {
        self.incidentID = incidentID
        self.reason = reason
    }

    /// The refusal in words, without the incident's id: "already acknowledged by 王伟 at …".
    public var message: String {
        switch reason {
        case .noSuchIncident: "no such incident"
        case .alreadyAcknowledged(let person, let at): "already acknowledged by \(person) at \(RFC3339.format(at))"
        case .resolvedBeforeAcknowledgement(let at): "resolved at \(RFC3339.format(at)); there is nothing to acknowledge"
        case .alreadyResolved(let person, let at): "already resolved by \(person) at \(RFC3339.format(at))"
        }
    }

    public var description: String { "incident \(incidentID): \(message)" }
}
