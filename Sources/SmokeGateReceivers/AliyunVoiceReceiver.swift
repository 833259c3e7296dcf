import AsyncHTTPClient
import Foundation
import SmokeGateCore

/// 阿里云语音通知: a text-to-speech call to one contact's phone through `SingleCallByTts` (API
/// 2017-05-25): `CalledNumber`, `TtsCode` (the approved voice template, `tts_code`),
/// `TtsParam` with `kind`, `address` and `incident`, `OutId` the notification id, and
/// `CalledShowNumber` when configured. A call is not idempotent: a lost answer is `unknown`.
public struct AliyunVoiceReceiver: Receiver {
    public let settings: ReceiverSettings

    public init(settings: ReceiverSettings) {
        self.settings = settings
    }

    /// The `SingleCallByTts` parameters besides the common ones.
    public func parameters(_ call: CallCard, phone: String) -> [String: String] {
        var values = [
            "CalledNumber": phone, "TtsCode": settings.templateCode ?? "",
            "TtsParam": AliyunSMSReceiver.templateParam(AliyunSMSReceiver.templateParameters(call, includeCode: false)),
            "OutId": call.notification,
        ]
        if let show = settings.calledShowNumber, !show.isEmpty { values["CalledShowNumber"] = show }
        return values
    }

    public func send(_ message: OutgoingMessage, using http: HTTPClient) async -> DeliveryOutcome {
        guard message.calls.count == 1, let call = message.calls.first else {
            return .refused("aliyun_voice: one call per phone call, got \(message.calls.count)")
        }
        guard let phone = message.recipient?.phone.trimmingCharacters(in: .whitespaces), !phone.isEmpty else {
            return .refused("aliyun_voice: no phone to call")
        }
        guard settings.templateCode?.isEmpty == false else { return .refused("aliyun_voice: tts_code is required") }
        return await AliyunRPC.send(
            action: "SingleCallByTts", parameters: parameters(call, phone: phone), settings: settings, now: message.now,
            receipt: "CallId", using: http)
    }
}
