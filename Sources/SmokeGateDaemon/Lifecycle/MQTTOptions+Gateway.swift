import SmokeGateConfig
import SmokeGateMQTT

/// The gateway's two broker connections, built in one place: they log in alike (the same
/// credentials, TLS and keep-alive from `broker:`) and differ only where they must.
extension MQTTOptions {
    /// Ingest: a persistent MQTT 3.1.1 session (the broker keeps the subscriptions and queues
    /// QoS 1 alarms while the gateway is away), subscribed to every source's topics, read in
    /// passes so that a burst's alarms are committed together (`IngestPipeline+Batch.swift`).
    static func ingest(
        _ broker: GatewayConfiguration.Broker, password: String?, subscriptions: [String], subscriptionRetry: Duration
    ) -> MQTTOptions {
        var options = gateway(broker, password: password, clientID: broker.clientID)
        options.cleanSession = false
        options.subscriptions = subscriptions
        options.subscriptionRetry = subscriptionRetry
        options.acknowledgesByReadPass = true
        return options
    }

    /// Dispatch (`{client_id}-dispatch`): a clean MQTT 5 session whose PUBACK says whether the
    /// broker refused a call, with Nagle off so that a call leaves at once.
    static func dispatch(_ broker: GatewayConfiguration.Broker, password: String?) -> MQTTOptions {
        var options = gateway(broker, password: password, clientID: broker.clientID + "-dispatch")
        options.cleanSession = true
        options.tcpNoDelay = true
        options.protocolVersion = .v5
        return options
    }

    private static func gateway(_ broker: GatewayConfiguration.Broker, password: String?, clientID: String) -> MQTTOptions {
        MQTTOptions(
            host: broker.host, port: broker.port, clientID: clientID, username: broker.username, password: password,
            tls: broker.tls.map { MQTTTLS(caFile: $0.caFile, certFile: $0.certFile, keyFile: $0.keyFile) },
            keepAlive: broker.keepAlive)
    }
}
