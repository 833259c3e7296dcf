import Foundation

/// base64url without padding (RFC 4648 §5), decoding only the canonical spelling, so that two
/// different strings never carry the same token.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return String(
            text.map {
                switch $0 {
                case "+": "-"
                case "/": "_"
                default: $0
                }
            })
    }

    static func decode(_ text: String) -> [UInt8]? {
        guard text.count % 4 != 1, text.utf8.allSatisfy(isAlphabet) else { return nil }
        var standard = String(
            text.map {
                switch $0 {
                case "-": "+"
                case "_": "/"
                default: $0
                }
            })
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        guard let data = Data(base64Encoded: standard) else { return nil }
        let bytes = [UInt8](data)
        // Unused low bits of the last character would let several spellings decode alike.
        guard encode(bytes) == text else { return nil }
        return bytes
    }

    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
