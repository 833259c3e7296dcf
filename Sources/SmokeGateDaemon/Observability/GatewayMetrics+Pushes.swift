import Prometheus
import SmokeGateConfig

extension GatewayMetrics {
    /// A platform push answered, by format and what came of it: `taken` (stored, a heartbeat,
    /// or a retry already stored: 200), `rejected` (kept with its reason: 200), `unavailable`
    /// (the store refused: 503), or the reason it was turned away (`not_allowed`,
    /// `rate_limited`, `oversized`, `bad_signature`).
    func pushAnswered(_ source: PushSource, answer: String) {
        registry.makeCounter(
            descriptor: Self.name(
                "pushes", unit: "total", help: "Platform pushes over HTTP, by format and answer."),
            labels: [("format", source.format.rawValue), ("answer", answer)]
        ).increment()
    }
}
