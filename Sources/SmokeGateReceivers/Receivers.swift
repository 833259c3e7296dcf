import SmokeGateCore

/// Makes the receiver a configured entry of `receivers:` names: the one place that maps a
/// kind to its vendor's file.
public enum Receivers {
    public static func make(_ settings: ReceiverSettings) -> any Receiver {
        switch settings.kind {
        case .webhook: WebhookReceiver(settings: settings)
        case .wecom: WeComReceiver(settings: settings)
        case .dingtalk: DingTalkReceiver(settings: settings)
        case .feishu: FeishuReceiver(settings: settings)
        case .aliyunSMS: AliyunSMSReceiver(settings: settings)
        case .aliyunVoice: AliyunVoiceReceiver(settings: settings)
        }
    }
}
