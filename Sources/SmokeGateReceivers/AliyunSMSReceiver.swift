import AsyncHTTPClient
import Foundation
import SmokeGateCore

/// 阿里云短信: one text to one contact's phone through `SendSms` (API 2017-05-25), from an
/// approved template whose variables are `kind`, `address`, `incident` and `code` (the
/// answer code a reply `1 CODE` acknowledges with). `OutId` is the notification id, so the
/// provider's receipt names the call. A text is not idempotent: a lost answer is `unknown`.
public struct AliyunSMSReceiver: Receiver {
    public let settings: ReceiverSettings

    /// Aliyun limits each template variable's value (unconfirmed: 35 characters for
    /// notifications); a longer address is cut rather than the text refused.
    public static let variableLimit = 35

    public init(settings: ReceiverSettings) {
        self.settings = settings
    }

    /// The template's variables, all strings (Aliyun refuses numbers and URLs in them).
    public static func templateParameters(_ call: CallCard, includeCode: Bool = true) -> [String: String] {
        var kind = CallText.kindName(call.kind)
        if call.action != "notify" { kind += "（\(CallText.actionName(call.action))）" }
        var values = [
            "kind": kind,
            "address": String((call.address ?? call.venue ?? call.unitName ?? call.unit).prefix(variableLimit)),
            "incident": String(call.incident),
        ]
        if includeCode { values["code"] = call.answerCode ?? "-" }
        return values
    }

    /// `TemplateParam`: the variables as a JSON object in a string.
    public static func templateParam(_ values: [String: String]) -> String {
        String(decoding: JSONRequest.encode(values), as: UTF8.self)
    }

    /// The `SendSms` parameters besides the common ones.
    public func parameters(_ call: CallCard, phone: String) -> [String: String] {
        [
            "PhoneNumbers": phone, "SignName": settings.signName ?? "", "TemplateCode": settings.templateCode ?? "",
            "TemplateParam": Self.templateParam(Self.templateParameters(call)), "OutId": call.notification,
        ]
    }

    public func send(_ message: OutgoingMessage, using http: HTTPClient) async -> DeliveryOutcome {
        guard message.calls.count == 1, let call = message.calls.first else {
            return .refused("aliyun_sms: one call per text, got \(message.calls.count)")
        }
        guard let phone = message.recipient?.phone.trimmingCharacters(in: .whitespaces), !phone.isEmpty else {
            return .refused("aliyun_sms: no phone to text")
        }
        guard settings.signName?.isEmpty == false, settings.templateCode?.isEmpty == false else {
            return .refused("aliyun_sms: sign_name and template_code are required")
        }
        return await AliyunRPC.send(
            action: "SendSms", parameters: parameters(call, phone: phone), settings: settings, now: message.now,
            receipt: "BizId", using: http)
    }
}
