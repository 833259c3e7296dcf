import Prometheus

extension GatewayMetrics {
    /// An answer from a phone, by channel (`link`, `sms`) and what came of it: acknowledged,
    /// resolved, refused (already answered), expired, tampered, malformed, not_a_code,
    /// no_match (a code unknown, too old, or from another phone), invalid (a form missing a field).
    func answerReceived(channel: String, outcome: String) {
        registry.makeCounter(
            descriptor: Self.name(
                "answers", unit: "total", help: "Answers from phones (links and SMS replies), by channel and outcome."),
            labels: [("channel", channel), ("outcome", outcome)]
        ).increment()
    }
}
