import SmokeGateCore

/// The signed envelope of a OneNET push: `{"msg": "<inner JSON as a string>", "nonce": …,
/// "signature": …}`, or the older `{"msg": {…}, "nonce": …, "msg_signature": …}`. The
/// signature covers the token, the nonce and `msg` as sent: the string's text, or the
/// object's bytes exactly as they stand in the body.
enum OneNETEnvelope {
    /// Why the body's signature does not hold for `token`, or nil when it does.
    static func signatureProblem(_ body: [UInt8], token: [UInt8]) -> String? {
        guard let members = JSONObjectView.members(of: body) else { return "the body is not a JSON object" }
        guard let msg = members["msg"] else { return "the body has no 'msg'" }
        guard case .string(let nonce)? = members["nonce"]?.value else { return "the body has no 'nonce'" }
        guard case .string(let signature)? = (members["signature"] ?? members["msg_signature"])?.value else {
            return "the body has no 'signature'"
        }
        let signed: [UInt8]
        if case .string(let text) = msg.value {
            signed = Array(text.utf8)
        } else {
            signed = msg.raw
        }
        guard OneNETSignature.isValid(signature, token: token, nonce: Array(nonce.utf8), message: signed) else {
            return "the signature is not the token's over 'msg'"
        }
        return nil
    }
}
