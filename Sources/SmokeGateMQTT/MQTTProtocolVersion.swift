/// The MQTT protocol versions the client can speak.
public enum MQTTProtocolVersion: Sendable {
    /// MQTT 3.1.1: a PUBACK carries no reason, so a refused publish looks delivered.
    case v311
    /// MQTT 5: PUBACK and SUBACK carry reason codes (0x87 not authorized, 0x97 quota exceeded…).
    case v5
}
