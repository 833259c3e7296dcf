import CMosquitto
import Foundation
import Logging

extension MQTTClient {
    /// The subscriptions the broker refused or granted at a lower QoS than asked, by filter;
    /// empty when every one is granted. While any is listed the client is not connected.
    public var refusedSubscriptions: [SubscriptionRefusal] { grants.refusals }

    /// How many SUBACKs in a row with the same refusal are logged once at `error` after the
    /// first `critical` line (at the default 30 s retry, one line every 5 minutes).
    static let refusalReminderEvery = 10

    /// Sends one SUBSCRIBE per filter, so that each SUBACK names its filter.
    func subscribe(_ filters: [String]) {
        for filter in filters {
            var messageID: Int32 = 0
            let result = mosquitto_subscribe(handle, &messageID, filter, options.subscriptionQoS)
            if result == MOSQ_ERR_SUCCESS.rawValue {
                grants.asked(filter, messageID: messageID)
            } else {
                logger.error("cannot subscribe", metadata: ["filter": "\(filter)", "error": "\(Self.describe(result))"])
            }
        }
    }

    /// On the network thread, between two turns of the loop: asks again for what the broker
    /// refused, every `subscriptionRetry`, so that fixing its ACL is enough to recover.
    func askAgainForRefusedSubscriptions() {
        let due = grants.due(every: options.subscriptionRetry)
        guard !due.isEmpty else { return }
        logger.debug("asking again for refused subscriptions", metadata: ["filters": "\(due)"])
        subscribe(due)
    }

    /// A SUBACK: one answer per filter asked for (one filter per SUBSCRIBE here).
    func handleSubscribe(_ messageID: Int32, granted: [Int32]) {
        switch grants.answered(messageID, granted: granted.first ?? MQTTReason.firstRefusal, asked: options.subscriptionQoS) {
        case .unknown:
            return
        case .granted(let filter, let wasRefused):
            if wasRefused { logger.notice("the broker now grants the subscription", metadata: ["filter": "\(filter)"]) }
        case .refused(let refusal, let repeats):
            let metadata: Logger.Metadata = [
                "filter": "\(refusal.filter)", "granted": "\(refusal.answer)",
                "retry_every": "\(options.subscriptionRetry)",
            ]
            let message: Logger.Message =
                refusal.isRefused
                ? "the broker refused a subscription: nothing on it is heard until its ACL allows it"
                : "the broker granted a subscription below the QoS asked: its alarms may be lost"
            if repeats == 0 {
                logger.critical(message, metadata: metadata)
            } else if repeats % Self.refusalReminderEvery == 0 {
                logger.error("\(message) (still, after \(repeats) more tries)", metadata: metadata)
            }
        }
        guard grants.settled else { return }
        if grants.allGranted {
            setConnected(true, detail: "subscribed")
        } else {
            setConnected(false, detail: "subscription refused: \(grants.refusals.map(\.description).joined(separator: "; "))")
        }
    }
}
