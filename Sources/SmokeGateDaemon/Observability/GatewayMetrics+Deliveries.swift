import Foundation
import Prometheus

extension GatewayMetrics {
    /// One attempt at a call through a receiver ended as `outcome` (delivered, retry,
    /// rate_limited, refused, unknown, skipped).
    func delivery(receiver: String, outcome: String) {
        registry.makeCounter(
            descriptor: Self.name(
                "deliveries", unit: "total",
                help: "Attempts at calls through receivers (WeCom, SMS, webhook…), by receiver and outcome."),
            labels: [("receiver", receiver), ("outcome", outcome)]
        ).increment()
    }

    /// A call reached a receiver `seconds` after it was made.
    func deliveryLatency(receiver: String, tier: String, action: String, seconds: TimeInterval) {
        guard action == "notify" else { return }
        registry.makeDurationHistogram(
            descriptor: Self.name(
                "call_to_receiver", unit: "seconds",
                help: "From a call being made to its receiver taking it, by receiver and tier."),
            labels: [("receiver", receiver), ("tier", tier)],
            buckets: [
                .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
                .seconds(300),
            ]
        ).record(.seconds(max(0, seconds)))
    }
}
