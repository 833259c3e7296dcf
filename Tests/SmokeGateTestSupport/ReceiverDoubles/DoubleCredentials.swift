import Foundation

/// What the doubles check requests against, as the vendors would: robot keys and tokens (an
/// empty list takes any), the robots' signing secrets (nil: the robot does not sign), the
/// Aliyun AccessKey, the webhook's `whsec_` secret and the approved templates. The defaults
/// are fixed so tests and the demo can write matching secret files.
public struct DoubleCredentials: Sendable, Equatable {
    public var wecomKeys: Set<String>
    public var dingtalkTokens: Set<String>
    public var dingtalkSecret: String?
    public var feishuTokens: Set<String>
    public var feishuSecret: String?
    public var aliyunAccessKeyID: String
    public var aliyunAccessKeySecret: String
    public var webhookSecret: String?
    /// SMS templates by code (an empty map takes any code with `defaultSMSTemplate`).
    public var smsTemplates: [String: String]
    /// Voice templates by code (an empty map takes any code with `defaultVoiceTemplate`).
    public var voiceTemplates: [String: String]

    public static let defaultSMSTemplate = "${kind}：${address}（事件 ${incident}）。回复“1 ${code}”确认收到。"
    public static let defaultVoiceTemplate = "${kind}警报，${address}，事件 ${incident}，请立即处置。"

    public init(
        wecomKeys: Set<String> = [], dingtalkTokens: Set<String> = [], dingtalkSecret: String? = "SEC-smokegate-double-dingtalk",
        feishuTokens: Set<String> = [], feishuSecret: String? = "smokegate-double-feishu",
        aliyunAccessKeyID: String = "LTAI-smokegate-double", aliyunAccessKeySecret: String = "smokegate-double-aliyun",
        webhookSecret: String? = "whsec_c21va2VnYXRlLWRvdWJsZS13ZWJob29rLWtleQ==", smsTemplates: [String: String] = [:],
        voiceTemplates: [String: String] = [:]
    ) {
        self.wecomKeys = wecomKeys
        self.dingtalkTokens = dingtalkTokens
        self.dingtalkSecret = dingtalkSecret
        self.feishuTokens = feishuTokens
        self.feishuSecret = feishuSecret
        self.aliyunAccessKeyID = aliyunAccessKeyID
        self.aliyunAccessKeySecret = aliyunAccessKeySecret
        self.webhookSecret = webhookSecret
        self.smsTemplates = smsTemplates
        self.voiceTemplates = voiceTemplates
    }
}
