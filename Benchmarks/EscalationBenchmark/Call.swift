import Foundation
import SmokeGateCore

/// A notification the gateway published, reduced to what the benchmark matches and times:
/// whose call it is, for which tier, and the gateway's own stamps. Parsed outside the network
/// callback, after the arrival was stamped.
struct Call: Sendable {
    /// The contract's `notification` id: a re-sent call carries the same one.
    var notification: String
    var device: String
    var tier: String
    var action: String
    /// When the incident opened (the gateway's receipt of the alarm), wall clock, to the ms.
    var openedAt: Date
    /// When the gateway made this call (wrote it to the outbox), wall clock, to the ms.
    var at: Date
    var arrival: Inbox.Arrival

    private struct Body: Decodable {
        var notification: String
        var device: String
        var tier: String
        var action: String
        var opened_at: String
        var at: String
    }

    /// The call in `arrival`, or nil when its payload is not a notification.
    init?(_ arrival: Inbox.Arrival) {
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(arrival.payload)),
            let openedAt = RFC3339.parse(body.opened_at), let at = RFC3339.parse(body.at)
        else { return nil }
        notification = body.notification
        device = body.device
        tier = body.tier
        action = body.action
        self.openedAt = openedAt
        self.at = at
        self.arrival = arrival
    }
}
