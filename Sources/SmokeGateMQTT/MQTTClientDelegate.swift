/// What the client tells its owner. Called on the client's network thread: a message
/// handler that has not returned holds back the PUBACK of a QoS 1 message.
public protocol MQTTClientDelegate: AnyObject, Sendable {
    func mqttClient(_ client: MQTTClient, received message: MQTTMessage)
    /// Connected and every subscription granted (`true`), or connection lost (`false`).
    func mqttClient(_ client: MQTTClient, connectionChanged connected: Bool, detail: String)
    /// The broker has a message we published (PUBACK for QoS 1, sent for QoS 0).
    func mqttClient(_ client: MQTTClient, published messageID: Int32)
    /// The broker accepted the connection (CONNACK), before any message of the session;
    /// `resumed` when it kept the session from before (it then resends what it never saw
    /// acknowledged, first of all).
    func mqttClient(_ client: MQTTClient, sessionStarted resumed: Bool)
    /// A read pass ended (`MQTTOptions.acknowledgesByReadPass`): the acknowledgements of the
    /// messages it handed over leave when this returns. Called after a failed read too, when
    /// they never will; the broker then redelivers them.
    func mqttClientEndedReadPass(_ client: MQTTClient)
}

extension MQTTClientDelegate {
    public func mqttClient(_ client: MQTTClient, published messageID: Int32) {}
    public func mqttClient(_ client: MQTTClient, sessionStarted resumed: Bool) {}
    public func mqttClientEndedReadPass(_ client: MQTTClient) {}
    public func mqttClient(_ client: MQTTClient, connectionChanged connected: Bool, detail: String) {}
}
