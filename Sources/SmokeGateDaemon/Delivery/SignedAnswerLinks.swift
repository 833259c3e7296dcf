import SmokeGateCore
import SmokeGateReceivers
import SmokeGateStore

/// The `answer_url` of a call to one receiver: signed for the call's incident and unit (and
/// the person, for a text or a voice call), expiring `answer.valid_for` after the call was
/// made, so every retry of a delivery carries the same link.
struct SignedAnswerLinks: AnswerLinking {
    let settings: AnswerSettings

    func url(for delivery: PendingDelivery) -> String? {
        guard let tier = Tier(rawValue: delivery.tier) else { return nil }
        let claim = AnswerLink.Claim(
            incident: delivery.incident, tier: tier, unit: delivery.unit, contact: delivery.contact?.id,
            calledAt: delivery.createdAt, validFor: settings.validFor)
        return AnswerLink.url(baseURL: settings.baseURL, claim: claim, key: settings.key)
    }
}
