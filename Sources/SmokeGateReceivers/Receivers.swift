import AsyncHTTPClient
import SmokeGateCore

/// Makes the receiver a configured entry of `receivers:` names: the one place that maps a
/// kind to its vendor's file.
public enum Receivers {
    /// `text` words the chat robots' cards (its time zone is the one times are shown in).
    public static func make(_ settings: ReceiverSettings, text: CallText = CallText()) -> any Receiver {
        switch settings.kind {
        case .webhook: WebhookReceiver(settings: settings)
        case .wecom: WeComReceiver(settings: settings, text: text)
        case .dingtalk: DingTalkReceiver(settings: settings, text: text)
        case .feishu: FeishuReceiver(settings: settings, text: text)
        case .aliyunSMS: AliyunSMSReceiver(settings: settings)
        case .aliyunVoice: AliyunVoiceReceiver(settings: settings)
        }
    }

    /// How the one HTTP client the receivers share is to be made: redirects are answers, not
    /// followed (Standard Webhooks counts a 3xx as a failure, and following one would carry a
    /// signed call or a text to a host nobody configured). Deadlines are per request
    /// (`ReceiverSettings.timeout`). Note that the client keeps trying to connect until that
    /// deadline, so a refused connection comes back as `retryLater` when the timeout is over.
    public static var httpConfiguration: HTTPClient.Configuration {
        HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled)
    }
}
