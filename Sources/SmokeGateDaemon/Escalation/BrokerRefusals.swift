import SmokeGateMQTT

/// What the broker refuses the gateway, read by `/healthz`, `/metrics` and the status writer:
/// the dispatcher's calls, and the ingest session's subscriptions.
struct BrokerRefusals: Sendable {
    let dispatch: DispatchRefusals
    /// The ingest client, which keeps its refused or downgraded subscriptions.
    let ingest: MQTTClient

    var subscriptions: [SubscriptionRefusal] { ingest.refusedSubscriptions }
}
