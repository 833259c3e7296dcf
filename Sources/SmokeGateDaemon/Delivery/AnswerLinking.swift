import SmokeGateStore

/// Builds the signed `answer_url` a call carries to one receiver (see `AnswerLink`).
protocol AnswerLinking: Sendable {
    func url(for delivery: PendingDelivery) -> String?
}
