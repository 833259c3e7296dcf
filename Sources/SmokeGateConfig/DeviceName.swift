/// What a device id in `devices.csv` may be: any friendly name Zigbee2MQTT accepts, because a
/// Zigbee2MQTT detector's id is its friendly name (`kitchen/smoke`, `Kitchen smoke`), and the
/// registry does not know a device's format. Zigbee2MQTT's own rules are mirrored, so that a
/// name the bridge would refuse is reported when the registry is read; so are the few shapes
/// the gateway reads as the bridge's own topics. (A native detector's id is still one topic
/// level, as its topic `smokegate/detectors/{id}/event` says: an id with `/` is accepted here
/// but no native detector can ever publish under it; see `docs/zigbee2mqtt.md`.)
enum DeviceName {
    /// The rule, as the operator reads it after the flaw found.
    static let rule =
        "any Zigbee2MQTT friendly name: not empty, no '+' or '#', no control characters, no '/' at either end, not ending in '/' and digits"

    /// Whether `id` is a valid device id. Checked on bytes where the id is printable ASCII
    /// without `/`, as ids nearly always are (a million-row registry is checked in one pass).
    static func isValid(_ id: String) -> Bool {
        guard !id.isEmpty else { return false }
        if id.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) {
            return !id.utf8.contains { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") } && id != "bridge"
        }
        return flaw(id) == nil
    }

    /// What is wrong with `id` as a device id (`contains '+'`), or nil when nothing is.
    static func flaw(_ id: String) -> String? {
        guard !id.isEmpty else { return "is empty" }
        for scalar in id.unicodeScalars {
            switch scalar.value {
            case 0x2B, 0x23: return "contains the wildcard '\(scalar)'"
            // Zigbee2MQTT's control characters: C0, DEL and C1, and the noncharacters.
            case 0x00...0x1F, 0x7F...0x9F: return "contains the control character \(code(scalar))"
            case 0xFDD0...0xFDEF: return "contains \(code(scalar)), which is not a character"
            case _ where scalar.value & 0xFFFE == 0xFFFE: return "contains \(code(scalar)), which is not a character"
            default: break
            }
        }
        if id.hasPrefix("/") || id.hasSuffix("/") { return "starts or ends with '/'" }
        let levels = id.split(separator: "/", omittingEmptySubsequences: false)
        if levels.count > 1, let last = levels.last, last.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return "ends with '/\(last)': Zigbee2MQTT reads a last level of digits as an endpoint"
        }
        if levels[0] == "bridge" { return "is or starts with 'bridge', the level of Zigbee2MQTT's own topics" }
        if let command = levels.dropFirst().first(where: { $0 == "set" || $0 == "get" }) {
            return "has a level '\(command)', which Zigbee2MQTT topics use for commands to devices"
        }
        if levels.count > 1, levels.last == "availability" {
            return "ends with '/availability', the level of Zigbee2MQTT's liveness reports"
        }
        return nil
    }

    /// `id` for a message, its control characters shown as code points.
    static func shown(_ id: String) -> String { TopicLevel.shown(id) }

    private static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
