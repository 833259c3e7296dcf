import Crypto
import Foundation

/// OneNET's signature: `base64(md5(token + nonce + msg))`, over the URL check's `msg` and over
/// each push's raw `msg`. Both base64 alphabets are accepted, with or without padding, and a
/// `+` that a query string turned into a space.
enum OneNETSignature {
    static func isValid(_ signature: String, token: [UInt8], nonce: [UInt8], message: [UInt8]) -> Bool {
        let expected = Data(Insecure.MD5.hash(data: token + nonce + message))
        guard let given = decode(signature) else { return false }
        return given.count == expected.count && zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The signature's bytes, read as standard or URL-safe base64, padded or not.
    static func decode(_ signature: String) -> Data? {
        var text = signature.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: " ", with: "+")
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        text = text.replacingOccurrences(of: "=", with: "")
        guard !text.isEmpty, text.count <= 64 else { return nil }
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: text)
    }
}
