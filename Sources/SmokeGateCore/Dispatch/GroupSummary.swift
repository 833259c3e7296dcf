/// `group` in a grouped notification.
struct GroupSummary: Encodable {
    var id: Int64
    var revision: Int
    var count: Int
    var detectors: [Entry]
    var added: [String]
    var returned: [String]
    var acknowledged: [String]
    /// Whether `detectors` was cut at `listLimit` (count stays exact).
    var truncated: Bool

    /// Detectors listed in one message at most: a thousand keep it under about 200 KB.
    static let listLimit = 1_000

    struct Entry: Encodable {
        var device: String
        var incident: Int64
        var address: String
        var venue: String
        var state: String
        var openedAt: String

        enum CodingKeys: String, CodingKey {
            case device, incident, address, venue, state
            case openedAt = "opened_at"
        }
    }

    init(_ message: GroupMessage, identity: GroupIdentity) {
        id = identity.id
        revision = identity.revision
        count = message.out.count
        detectors = message.out.prefix(Self.listLimit).map {
            Entry(
                device: $0.site.deviceID, incident: $0.id, address: $0.site.address, venue: $0.site.venue,
                state: $0.state.rawValue, openedAt: RFC3339.format($0.openedAt))
        }
        truncated = message.out.count > Self.listLimit
        added = message.added.prefix(Self.listLimit).map(\.site.deviceID)
        returned = message.returned.prefix(Self.listLimit).map(\.site.deviceID)
        acknowledged = message.acknowledged.prefix(Self.listLimit).map(\.site.deviceID)
    }
}
