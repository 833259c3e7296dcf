import Foundation

/// The JSON a responder's system receives; every field of the contract is always present
/// (null where unknown), so receivers need no guesswork. A grouped message (see
/// `DispatchGrouping`) fills them from its lead detector and adds `group`.
struct NotificationBody: Encodable {
    var notification: String
    var action: DispatchAction
    var incident: Incident
    var unit: ResponseUnit
    var reason: String
    var at: Date
    var by: String?
    var evacuation: Evacuation?
    var group: GroupSummary?

    enum Key: String, CodingKey {
        case notification, action, incident, kind, tier, unit, unitName = "unit_name", device, address, venue
        case venueType = "venue_type", grid, community, street, openedAt = "opened_at", at, reason, by, contacts
        case evacuation, group
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        let site = incident.site
        try container.encode(notification, forKey: .notification)
        try container.encode(action, forKey: .action)
        try container.encode(incident.id, forKey: .incident)
        try container.encode(incident.kind, forKey: .kind)
        try container.encode(unit.tier, forKey: .tier)
        try container.encode(unit.id, forKey: .unit)
        try container.encode(unit.name, forKey: .unitName)
        try container.encode(site.deviceID, forKey: .device)
        try container.encode(site.address, forKey: .address)
        try container.encode(site.venue, forKey: .venue)
        try container.encode(site.venueType, forKey: .venueType)
        try container.encode(site.gridID, forKey: .grid)
        try container.encode(site.communityID, forKey: .community)
        try container.encode(site.streetID, forKey: .street)
        try container.encode(RFC3339.format(incident.openedAt), forKey: .openedAt)
        try container.encode(RFC3339.format(at), forKey: .at)
        try container.encode(reason, forKey: .reason)
        try container.encode(by, forKey: .by)
        try container.encode(unit.contacts, forKey: .contacts)
        try container.encode(evacuation, forKey: .evacuation)
        if let group { try container.encode(group, forKey: .group) }
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and arrays of them cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
