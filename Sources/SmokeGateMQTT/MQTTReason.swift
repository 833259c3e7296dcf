import CMosquitto
import Foundation

/// MQTT 5 reason codes in words, as libmosquitto names them.
public enum MQTTReason {
    /// The first reason code that refuses: 0x80 "unspecified error" and everything above.
    public static let firstRefusal: Int32 = 0x80

    /// `not authorized` for 0x87, `quota exceeded` for 0x97.
    public static func text(_ code: Int32) -> String {
        lowercasedFirst(String(cString: mosquitto_reason_string(code)))
    }

    /// `0x87`.
    public static func hex(_ code: Int32) -> String {
        String(format: "0x%02X", code)
    }

    static func lowercasedFirst(_ text: String) -> String {
        var text = text
        while text.hasSuffix(".") { text.removeLast() }
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
