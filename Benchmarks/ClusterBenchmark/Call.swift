import Foundation
import SmokeGateCore

/// A fire call as a responder receives it, reduced to what the benchmark matches and times.
struct Call: Sendable {
    var device: String
    var tier: String
    var notification: String
    /// When the incident opened (the gateway's receipt of the alarm), wall clock, to the ms.
    var openedAt: Date
    /// When it arrived at the responder.
    var arrivedAt: Date

    private struct Body: Decodable {
        var device: String
        var tier: String
        var action: String
        var notification: String
        var opened_at: String
    }

    init?(_ arrival: BrokerLink.Arrival) {
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(arrival.payload)), body.action == "notify",
            let openedAt = RFC3339.parse(body.opened_at)
        else { return nil }
        device = body.device
        tier = body.tier
        notification = body.notification
        self.openedAt = openedAt
        arrivedAt = arrival.at
    }
}
