/// The signatures the doubles expect, as the doubles compute them (apart from the receivers'
/// code), for known-answer tests: a mistake made the same way in a receiver and in its
/// double would pass every round trip, but not a vector from the vendor's documentation.
public enum DoubleSignatures {
    /// DingTalk's `sign` before URL encoding.
    public static func dingTalk(timestamp: String, secret: String) -> String {
        DingTalkDouble.expectedSign(timestamp: timestamp, secret: secret)
    }

    /// Feishu's `sign`.
    public static func feishu(timestamp: String, secret: String) -> String {
        FeishuDouble.expectedSign(timestamp: timestamp, secret: secret)
    }

    /// Standard Webhooks' signature (without `v1,`).
    public static func standardWebhooks(id: String, timestamp: String, body: [UInt8], secret: String) -> String {
        WebhookDouble.signature(id: id, timestamp: timestamp, body: body, secret: secret)
    }

    /// Aliyun's RPC signature V2 of `parameters` (without `Signature`).
    public static func aliyun(method: String, parameters: [String: String], secret: String) -> String {
        AliyunDouble.expectedSignature(method: method, parameters: parameters, secret: secret)
    }
}
