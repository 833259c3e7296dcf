import Foundation

/// A robot's answer body: `{"errcode":…,"errmsg":…}` (WeCom, DingTalk) or `{"code":…,"msg":…}`
/// (Feishu, whose older answers say `StatusCode`/`StatusMessage`).
struct RobotAnswer {
    var code: Int
    var message: String

    init?(_ body: [UInt8], codeKeys: [String], messageKeys: [String]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        guard let code = codeKeys.lazy.compactMap({ (object[$0] as? NSNumber)?.intValue }).first else { return nil }
        self.code = code
        message = Self.shorten(messageKeys.lazy.compactMap { object[$0] as? String }.first ?? "")
    }

    /// The vendor's words without the trailing hint and help link, at most 160 characters.
    static func shorten(_ message: String) -> String {
        var text = message
        for marker in [", hint:", ", more info at", ", more:"] {
            if let range = text.range(of: marker) { text = String(text[..<range.lowerBound]) }
        }
        return String(text.prefix(160))
    }
}
