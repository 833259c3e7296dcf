import Foundation
import Logging
import SmokeGateConfig
import SmokeGateMQTT
import SmokeGateSync

/// The dispatcher's own broker connection (client id `{client_id}-dispatch`), in MQTT 5:
/// only there does the broker's PUBACK say that it refused a call (a write its ACL denies is
/// acknowledged like a delivery in MQTT 3.1.1). Its session is clean, so MQTT 5's session
/// expiry does not matter here; ingest keeps its persistent 3.1.1 session.
///
/// Calls must not queue behind ingest: the ingest connection's network thread spends its
/// time committing alarms inside `on_message`, and a PUBACK for a call would sit behind
/// every alarm still unread on that socket. On a connection of its own a call leaves at
/// once and its PUBACK comes straight back, however busy ingest is.
final class DispatchLink: MQTTClientDelegate, @unchecked Sendable {
    let connection: ConnectionState
    private let bell: Doorbell
    private let logger: Logger
    /// Set once in `init`, right after the delegate exists.
    private(set) var client: MQTTClient!

    init(broker: GatewayConfiguration.Broker, password: String?, clock: GatewayClock, bell: Doorbell, logger: Logger) throws {
        connection = ConnectionState(clock: clock)
        self.bell = bell
        self.logger = logger
        client = try MQTTClient(options: .dispatch(broker, password: password), delegate: self, logger: logger)
    }

    func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {}

    func mqttClient(_ client: MQTTClient, connectionChanged connected: Bool, detail: String) {
        connection.set(connected)
        logger.info(connected ? "dispatch connection up" : "dispatch connection down", metadata: ["detail": "\(detail)"])
        if connected { bell.ring() }
    }
}
