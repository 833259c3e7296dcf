/// Certificates for a TLS connection to the broker.
public struct MQTTTLS: Sendable {
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?

    public init(caFile: String?, certFile: String?, keyFile: String?) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }
}
