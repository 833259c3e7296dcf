import Foundation

/// One entry of `receivers:` in the main configuration, loaded: secrets are read from their
/// files and kept out of every description, so they never reach a log, `status` or metrics.
public struct ReceiverSettings: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var kind: ReceiverKind
    /// Where to send: a robot's hook URL (from `url` or `url_file`), a webhook's URL, or the
    /// Aliyun API endpoint.
    public var url: String
    /// A robot's signing secret, a webhook's `whsec_` secret, or the Aliyun AccessKey secret.
    public var secret: String?
    /// Aliyun: the AccessKey id, the SMS signature (签名), the template of texts or calls.
    public var accessKeyID: String?
    public var signName: String?
    public var templateCode: String?
    /// Aliyun voice: the number calls are shown from (optional).
    public var calledShowNumber: String?
    /// The longest an attempt may take before its answer counts as lost.
    public var timeout: Duration
    /// The most messages sent in any `window` seconds, if set, tighter than the vendor's own.
    public var pace: (count: Int, window: Double)? {
        get { paceCount.map { ($0, paceWindow) } }
        set {
            paceCount = newValue?.count
            paceWindow = newValue?.window ?? 60
        }
    }
    private var paceCount: Int?
    private var paceWindow: Double = 60

    public init(
        name: String, kind: ReceiverKind, url: String, secret: String? = nil, accessKeyID: String? = nil,
        signName: String? = nil, templateCode: String? = nil, calledShowNumber: String? = nil,
        timeout: Duration = .seconds(10)
    ) {
        self.name = name
        self.kind = kind
        self.url = url
        self.secret = secret
        self.accessKeyID = accessKeyID
        self.signName = signName
        self.templateCode = templateCode
        self.calledShowNumber = calledShowNumber
        self.timeout = timeout
    }

    /// The pace in force: the configured one, else the vendor's documented limit.
    public var effectivePace: (count: Int, window: Double)? { pace ?? kind.documentedPace }

    /// The name and kind only: URLs of robots carry their key, so they are secrets too.
    public var description: String { "\(name) (\(kind.rawValue))" }

    public static func == (lhs: ReceiverSettings, rhs: ReceiverSettings) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.url == rhs.url && lhs.secret == rhs.secret
            && lhs.accessKeyID == rhs.accessKeyID && lhs.signName == rhs.signName && lhs.templateCode == rhs.templateCode
            && lhs.calledShowNumber == rhs.calledShowNumber && lhs.timeout == rhs.timeout && lhs.paceCount == rhs.paceCount
            && lhs.paceWindow == rhs.paceWindow
    }
}
