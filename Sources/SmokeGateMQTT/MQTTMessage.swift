/// A message as delivered by the broker, copied out of libmosquitto's buffers.
public struct MQTTMessage: Sendable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: Int32
    public var retain: Bool
    /// Read in a read pass (`MQTTOptions.acknowledgesByReadPass`): its acknowledgement leaves
    /// only after the delegate's `mqttClientEndedReadPass` returns, so the delegate may store
    /// it then, together with the pass's other messages. Otherwise it leaves when the message
    /// handler returns.
    public var acknowledgedAfterPass = false
}
