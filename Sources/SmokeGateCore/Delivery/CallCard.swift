import Foundation

/// One call as a receiver shows it to people: the notification the outbox stored (the MQTT
/// fields), read back, with how to answer it. Rendered by each vendor's file in its own shape.
public struct CallCard: Sendable, Equatable {
    /// The notification as stored, byte for byte: the body a webhook posts (with `answer_url`).
    public var payload: String
    public var notification: String
    public var action: String
    public var incident: Int64
    public var kind: String
    public var tier: String
    public var unit: String
    public var unitName: String?
    public var device: String?
    public var address: String?
    public var venue: String?
    public var grid: String?
    public var community: String?
    public var street: String?
    public var openedAt: String?
    public var at: String?
    public var reason: String?
    public var by: String?
    public var contacts: [Contact]
    public var evacuation: Evacuation?
    /// Detectors in a grouped message (`group.count`), 1 for a single call.
    public var groupCount: Int
    /// Whether it is a grouped message (it carries `group`), whose state is its members'.
    public var isGrouped: Bool
    /// The signed link that shows the incident and takes an acknowledgement (nil: answers are
    /// not configured, or this is a notice that needs no answer).
    public var answerURL: String?
    /// The short code a text carries: a reply `1 CODE` acknowledges.
    public var answerCode: String?

    /// Reads a stored notification; nil if it is not one (it always is, unless the row was
    /// written by a newer version with a shape this one does not know).
    public init?(payload: String) {
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(payload.utf8)) else { return nil }
        self.payload = payload
        notification = body.notification
        action = body.action
        incident = body.incident
        kind = body.kind
        tier = body.tier
        unit = body.unit
        unitName = body.unit_name
        device = body.device
        address = body.address
        venue = body.venue
        grid = body.grid
        community = body.community
        street = body.street
        openedAt = body.opened_at
        at = body.at
        reason = body.reason
        by = body.by
        contacts = body.contacts ?? []
        evacuation = body.evacuation
        groupCount = body.group?.count ?? 1
        isGrouped = body.group != nil
    }

    /// The payload with `answer_url` added (the webhook's body): the stored JSON object with
    /// one more member, so every field of the MQTT call is there as it was stored.
    public var payloadWithAnswer: String {
        guard let answerURL, payload.hasSuffix("}"), payload.count > 2 else { return payload }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let escaped = String(decoding: (try? encoder.encode(answerURL)) ?? Data("null".utf8), as: UTF8.self)
        return String(payload.dropLast()) + ",\"answer_url\":" + escaped + "}"
    }

    private struct Body: Decodable {
        struct Group: Decodable { var count: Int? }
        var notification: String
        var action: String
        var incident: Int64
        var kind: String
        var tier: String
        var unit: String
        var unit_name: String?
        var device: String?
        var address: String?
        var venue: String?
        var grid: String?
        var community: String?
        var street: String?
        var opened_at: String?
        var at: String?
        var reason: String?
        var by: String?
        var contacts: [Contact]?
        var evacuation: Evacuation?
        var group: Group?
    }
}
