import Foundation
import SmokeGateStore

/// How `show` prints the deliveries of an incident's calls to people's phones: each delivery
/// and every attempt at it, so "did the grid worker's phone get it?" has an answer.
enum DeliveryOutput {
    static func object(_ delivery: DeliveryRecord) -> [String: Any] {
        [
            "receiver": delivery.receiver, "action": delivery.action, "tier": delivery.tier, "unit": delivery.unit,
            "person": JSONOutput.optional(delivery.person), "made_at": JSONOutput.time(delivery.createdAt),
            "state": delivery.state, "error": JSONOutput.optional(delivery.lastError),
            "street_told_at": JSONOutput.time(delivery.failureToldAt),
            "attempts": delivery.attempts.map {
                [
                    "at": JSONOutput.time($0.at), "outcome": $0.outcome, "detail": JSONOutput.optional($0.detail),
                    "latency_ms": JSONOutput.optional($0.latencyMilliseconds.map { ($0 * 10).rounded() / 10 }),
                ] as [String: Any]
            },
        ]
    }

    /// One line per attempt under its delivery.
    static func table(_ deliveries: [DeliveryRecord]) -> String {
        var table = TextTable(["DELIVERY", "TO", "STATE", "ATTEMPT", "OUTCOME", "DETAIL"])
        for delivery in deliveries {
            let to = "\(delivery.tier) \(delivery.unit)" + (delivery.person.map { " · \($0)" } ?? "")
            let head = "\(delivery.action) via \(delivery.receiver)"
            let state = delivery.state + (delivery.failureToldAt == nil ? "" : " (street told)")
            guard !delivery.attempts.isEmpty else {
                table.add([head, to, state, "-", "-", delivery.lastError ?? ""])
                continue
            }
            for (index, attempt) in delivery.attempts.enumerated() {
                let latency = attempt.latencyMilliseconds.map { String(format: " (%.0f ms)", $0) } ?? ""
                table.add([
                    index == 0 ? head : "", index == 0 ? to : "", index == 0 ? state : "", LocalTime.format(attempt.at),
                    attempt.outcome + latency, attempt.detail ?? "",
                ])
            }
        }
        return table.render()
    }
}
