import Foundation

/// The message a group sends when it is due: what changed since its last message, and all
/// that is still out. Nil when nothing the unit has not heard changed (a job that came and
/// went before any message is not news).
public struct GroupMessage: Sendable, Equatable {
    public var action: DispatchAction
    /// The member the contract's single-incident fields describe: the oldest still out, or
    /// the first to return.
    public var lead: Incident
    public var out: [Incident]
    public var added: [Incident]
    public var returned: [Incident]
    public var acknowledged: [Incident]

    public init?(members: [GroupMember]) {
        let sorted = members.sorted { $0.incident.id < $1.incident.id }
        out = sorted.filter(\.isOut).map(\.incident)
        added = sorted.filter { $0.isOut && !$0.wasToldOut }.map(\.incident)
        returned = sorted.filter { !$0.isOut && $0.wasToldOut }.map(\.incident)
        acknowledged = sorted.filter { $0.incident.state == .acknowledged && $0.told == .open }.map(\.incident)
        guard !added.isEmpty || !returned.isEmpty || !acknowledged.isEmpty, let lead = out.first ?? returned.first else {
            return nil
        }
        self.lead = lead
        action = out.isEmpty ? .resolve : .notify
    }

    /// Why the unit hears this now, in a line.
    public var reason: String {
        let what = lead.kind.groupNoun
        var parts: [String] = []
        if !added.isEmpty { parts.append("\(added.count) new") }
        if !returned.isEmpty { parts.append("\(returned.count) back") }
        if !acknowledged.isEmpty { parts.append("\(acknowledged.count) acknowledged") }
        let change = parts.joined(separator: ", ")
        if out.isEmpty { return "all \(returned.count) detectors \(what) are back (\(change))" }
        return "\(out.count) detector\(out.count == 1 ? "" : "s") \(what) (\(change))"
    }
}

extension IncidentKind {
    /// How a grouped message names the detectors' state.
    var groupNoun: String {
        switch self {
        case .offline: "not heard from"
        case .fault: "reporting a fault"
        case .tamper: "removed or opened"
        case .lowBattery: "with a low battery"
        case .fire: "in alarm"
        }
    }
}
