import Foundation
import GRDB
import SmokeGateCore

/// What resolving an incident did: the incident, closed, and the fires opened again at once
/// because some of its detectors still sensed smoke (rule 10).
public struct Resolution: Sendable, Equatable {
    public var resolved: Incident
    public var relatched: [Incident]
}
