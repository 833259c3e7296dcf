/// The vendors the loopback doubles stand in for, named as `receivers:` types name them.
public enum DoubleVendor: String, Sendable, Codable, CaseIterable {
    case webhook
    case wecom
    case dingtalk
    case feishu
    case aliyunSMS = "aliyun_sms"
    case aliyunVoice = "aliyun_voice"

    /// How the demo prints it.
    public var displayName: String {
        switch self {
        case .webhook: "Webhook"
        case .wecom: "企业微信群"
        case .dingtalk: "钉钉群"
        case .feishu: "飞书群"
        case .aliyunSMS: "短信"
        case .aliyunVoice: "语音电话"
        }
    }
}
