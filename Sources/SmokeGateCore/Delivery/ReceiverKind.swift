/// The vendors a call can reach people through, besides MQTT: a new vendor is one case here
/// and one file in `SmokeGateReceivers`.
public enum ReceiverKind: String, Sendable, CaseIterable, Codable {
    /// A responder's own system: Standard Webhooks, signed.
    case webhook
    /// 企业微信群机器人: a WeCom group robot.
    case wecom
    /// 钉钉自定义机器人: a DingTalk group robot.
    case dingtalk
    /// 飞书自定义机器人: a Feishu group bot.
    case feishu
    /// 阿里云短信: a text to every contact of the unit that has a phone.
    case aliyunSMS = "aliyun_sms"
    /// 阿里云语音通知: a text-to-speech call to every contact of the unit that has a phone.
    case aliyunVoice = "aliyun_voice"

    /// Whether it reaches each contact's phone (one delivery per person) rather than a group.
    public var addressesPeople: Bool { self == .aliyunSMS || self == .aliyunVoice }

    /// Whether a request whose answer was lost may be sent again. A text or a phone call may
    /// have reached the person already: sending again would call them twice, so a lost answer
    /// is an unknown outcome, told to the street, never a blind resend.
    public var resendsAfterLostAnswer: Bool { !addressesPeople }

    /// Whether several calls waiting for it may go as one message: a group chat reads a list
    /// well; a webhook's receiver drops repeats by notification id, and a text template holds
    /// one call.
    public var merges: Bool { self == .wecom || self == .dingtalk || self == .feishu }

    /// The vendor's documented sending limit, paced before it is hit: at most `count` messages
    /// in any `window` seconds (nil: none documented).
    public var documentedPace: (count: Int, window: Double)? {
        switch self {
        case .wecom, .dingtalk: (20, 60)
        case .feishu: (5, 1)
        case .aliyunVoice: (1, 60)
        case .webhook, .aliyunSMS: nil
        }
    }
}
