import Foundation

/// Turns an incident's dispatch actions into notifications on `{topic_prefix}/{tier}/{unit}`.
public struct NotificationComposer: Sendable {
    public var directory: ResponseDirectory
    public var topicPrefix: String

    public init(directory: ResponseDirectory, topicPrefix: String) {
        self.directory = directory
        self.topicPrefix = topicPrefix
    }

    /// One notification per unit of `tier`; `newID` makes each notification's id.
    public func compose(
        _ action: DispatchAction, tier: Tier, reason: String, incident: Incident, at now: Date, newID: () -> String
    ) -> [NotificationMessage] {
        directory.units(tier, for: incident.site).map { unit in
            let id = newID()
            let body = NotificationBody(
                notification: id, action: action, incident: incident, unit: unit, reason: reason, at: now,
                by: action == .ack ? incident.ackedBy : action == .resolve ? incident.resolvedBy : nil,
                evacuation: directory.evacuation(for: incident.site))
            return NotificationMessage(id: id, topic: "\(topicPrefix)/\(tier.rawValue)/\(unit.id)", payload: body.json)
        }
    }
}
