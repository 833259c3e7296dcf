import Foundation

extension NotificationComposer {
    /// The one notification a group sends to `unit` when it is due. Its contract fields
    /// describe the group's lead detector, so a receiver that knows nothing of groups still
    /// reads a correct call; `group` lists every detector still out and what changed.
    public func compose(
        _ message: GroupMessage, group: GroupIdentity, unit: ResponseUnit, at now: Date, id: String
    ) -> NotificationMessage {
        let body = NotificationBody(
            notification: id, action: message.action, incident: message.lead, unit: unit, reason: message.reason, at: now,
            by: nil, evacuation: directory.evacuation(for: message.lead.site),
            group: GroupSummary(message, identity: group))
        return NotificationMessage(id: id, topic: "\(topicPrefix)/\(unit.tier.rawValue)/\(unit.id)", payload: body.json)
    }
}
