import Crypto
import Foundation

/// Aliyun's RPC endpoint for `SendSms` (at `/sms/`) and `SingleCallByTts` (at `/voice/`), as
/// GET with a query or POST with a form: the common parameters, a fresh nonce, a timestamp
/// within 15 minutes, and signature V2 recomputed from Aliyun's documentation; then the
/// action's own fields and the approved template.
enum AliyunDouble {
    static func check(
        _ request: DoubleRequest, vendor: DoubleVendor, credentials: DoubleCredentials, now: Date, nonces: NonceBook
    ) -> DoubleCheck {
        var parameters = request.queryFields
        if request.method == "POST" {
            parameters.merge(FormDecoding.fields(String(decoding: request.body, as: UTF8.self))) { _, form in form }
        }
        guard let signature = parameters.removeValue(forKey: "Signature") else {
            return .rejected(
                reply("IncompleteSignature", "The request signature does not conform to Aliyun standards.", 400), "no Signature")
        }
        guard parameters["AccessKeyId"] == credentials.aliyunAccessKeyID else {
            return .rejected(
                reply("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404), "unknown AccessKeyId")
        }
        for (name, value) in ["SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "Version": "2017-05-25"]
        where parameters[name] != value {
            return .rejected(reply("MissingParameter", "\(name) must be \(value)", 400), "\(name) is not \(value)")
        }
        guard let stamp = parameters["Timestamp"], let time = parseTimestamp(stamp) else {
            return .rejected(reply("InvalidTimeStamp.Format", "Specified time stamp is not valid.", 400), "bad Timestamp")
        }
        guard abs(time.timeIntervalSince(now)) <= 900 else {
            return .rejected(
                reply("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.", 400), "Timestamp expired")
        }
        guard
            signature
                == expectedSignature(method: request.method, parameters: parameters, secret: credentials.aliyunAccessKeySecret)
        else {
            return .rejected(
                reply("SignatureDoesNotMatch", "Specified signature is not matched with our calculation.", 400),
                "signature does not match")
        }
        guard let nonce = parameters["SignatureNonce"], !nonce.isEmpty, nonces.use(nonce, at: now) else {
            return .rejected(reply("SignatureNonceUsed", "Specified signature nonce was used already.", 400), "nonce used")
        }
        switch (vendor, parameters["Action"]) {
        case (.aliyunSMS, "SendSms"): return sms(parameters, credentials: credentials)
        case (.aliyunVoice, "SingleCallByTts"): return voice(parameters, credentials: credentials)
        default:
            return .rejected(
                reply("InvalidAction.NotFound", "Specified api is not found, please check your url and method.", 404),
                "wrong Action")
        }
    }

    private static func sms(_ parameters: [String: String], credentials: DoubleCredentials) -> DoubleCheck {
        let phone = parameters["PhoneNumbers"] ?? ""
        guard phone.range(of: #"^(\+?86)?1[3-9][0-9]{9}$"#, options: .regularExpression) != nil else {
            return .rejected(reply("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号"), "bad PhoneNumbers")
        }
        guard let sign = parameters["SignName"], !sign.isEmpty else {
            return .rejected(reply("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名"), "no SignName")
        }
        let code = parameters["TemplateCode"] ?? ""
        guard
            let template = credentials.smsTemplates.isEmpty
                ? DoubleCredentials.defaultSMSTemplate : credentials.smsTemplates[code],
            !code.isEmpty
        else { return .rejected(reply("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板"), "unknown TemplateCode") }
        switch templateValues(parameters["TemplateParam"]) {
        case .failure(let refusal): return .rejected(refusal.reply, refusal.why)
        case .success(let values):
            let filled = PhoneText.fill(template, values)
            if let missing = filled.missing {
                return .rejected(reply("isv.TEMPLATE_MISSING_PARAMETERS", "模板缺少变量"), "TemplateParam lacks \(missing)")
            }
            var fields = parameters.filter {
                ["PhoneNumbers", "SignName", "TemplateCode", "TemplateParam", "OutId"].contains($0.key)
            }
            for (name, value) in values { fields["param.\(name)"] = value }
            return .taken(.init(to: phone, text: "【\(sign)】\(filled.text)", fields: fields, link: nil, code: values["code"]))
        }
    }

    private static func voice(_ parameters: [String: String], credentials: DoubleCredentials) -> DoubleCheck {
        let phone = parameters["CalledNumber"] ?? ""
        guard phone.range(of: #"^\+?[0-9]{7,20}$"#, options: .regularExpression) != nil else {
            return .rejected(reply("isv.MOBILE_NUMBER_ILLEGAL", "号码格式非法"), "bad CalledNumber")
        }
        let code = parameters["TtsCode"] ?? ""
        guard
            let template = credentials.voiceTemplates.isEmpty
                ? DoubleCredentials.defaultVoiceTemplate : credentials.voiceTemplates[code],
            !code.isEmpty
        else { return .rejected(reply("isv.TTS_TEMPLATE_ILLEGAL", "文本转语音模板不存在"), "unknown TtsCode") }
        switch templateValues(parameters["TtsParam"]) {
        case .failure(let refusal): return .rejected(refusal.reply, refusal.why)
        case .success(let values):
            let filled = PhoneText.fill(template, values)
            if let missing = filled.missing {
                return .rejected(reply("isv.TEMPLATE_MISSING_PARAMETERS", "模板缺少变量"), "TtsParam lacks \(missing)")
            }
            var fields = parameters.filter {
                ["CalledNumber", "CalledShowNumber", "TtsCode", "TtsParam", "OutId"].contains($0.key)
            }
            for (name, value) in values { fields["param.\(name)"] = value }
            return .taken(.init(to: phone, text: "（语音）\(filled.text)", fields: fields, link: nil, code: nil))
        }
    }

    struct Refusal: Error {
        var reply: DoubleReply
        var why: String
    }

    /// A template's values: a JSON object of strings, none a URL, none over 35 characters.
    private static func templateValues(_ text: String?) -> Result<[String: String], Refusal> {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let values = object as? [String: String]
        else {
            return .failure(
                Refusal(
                    reply: reply("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值"),
                    why: "template values not a JSON object of strings"))
        }
        for (name, value) in values {
            if value.contains("http://") || value.contains("https://") || value.contains("www.") {
                return .failure(Refusal(reply: reply("isv.PARAM_NOT_SUPPORT_URL", "不支持URL"), why: "\(name) is a URL"))
            }
            if value.count > 35 {
                return .failure(Refusal(reply: reply("isv.PARAM_LENGTH_LIMIT", "参数超出长度限制"), why: "\(name) over 35 characters"))
            }
        }
        return .success(values)
    }

    /// Signature V2 as Aliyun's documentation spells it, written apart from the receivers'
    /// signer: each name and value encoded like Java's `URLEncoder` then `+`→`%20`,
    /// `*`→`%2A`, `%7E`→`~`; sorted; joined; encoded again; HMAC-SHA1 with `secret&`.
    static func expectedSignature(method: String, parameters: [String: String], secret: String) -> String {
        let names = parameters.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let canonical = names.map { "\(javaStyleEncode($0))=\(javaStyleEncode(parameters[$0] ?? ""))" }.joined(separator: "&")
        let toSign = "\(method)&\(javaStyleEncode("/"))&\(javaStyleEncode(canonical))"
        var mac = HMAC<Insecure.SHA1>(key: SymmetricKey(data: Array("\(secret)&".utf8)))
        mac.update(data: Array(toSign.utf8))
        return Data(mac.finalize()).base64EncodedString()
    }

    /// `URLEncoder.encode(text, "UTF-8")` (letters, digits, `.-*_` kept, space as `+`), then
    /// Aliyun's fix-ups.
    static func javaStyleEncode(_ text: String) -> String {
        var allowed = CharacterSet()
        allowed.insert(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-*_ ")
        let encoded = (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(
            of: " ", with: "+")
        return encoded.replacingOccurrences(of: "+", with: "%20").replacingOccurrences(of: "*", with: "%2A")
            .replacingOccurrences(of: "%7E", with: "~")
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return formatter.date(from: text)
    }

    static func reply(_ code: String, _ message: String, _ status: Int = 200) -> DoubleReply {
        .json(["Code": code, "Message": message, "RequestId": UUID().uuidString], status: status)
    }

    static func answer(_ answer: DoubleAnswer, vendor: DoubleVendor) -> DoubleReply {
        switch answer {
        case .rateLimited: reply("isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1")
        case .badKey: reply("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404)
        case .badSignature: reply("SignatureDoesNotMatch", "Specified signature is not matched with our calculation.", 400)
        case .busy: reply("isp.SYSTEM_ERROR", "isp.SYSTEM_ERROR")
        default:
            vendor == .aliyunVoice
                ? .json([
                    "Code": "OK", "Message": "OK", "CallId": "\(Int.random(in: 100_000...999_999))^1",
                    "RequestId": UUID().uuidString,
                ])
                : .json([
                    "Code": "OK", "Message": "OK", "BizId": "\(Int.random(in: 100_000...999_999))^0",
                    "RequestId": UUID().uuidString,
                ])
        }
    }
}
