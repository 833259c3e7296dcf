import Crypto
import Foundation
import SmokeGateCore

/// Signed, expiring links that let the person a call reached answer it from a phone: the
/// token names one incident, the tier and unit called (and the contact, for a text or a
/// voice call) and when it stops working, and carries an HMAC-SHA256 of all of that under
/// the answer key. Changing any of it, or moving it to another incident, breaks the MAC.
///
/// Layout of the token's bytes (then base64url without padding):
/// `version(1) tier(1) incident(8, big-endian) expires(8, Unix s) unitLength(2) unit
/// contactLength+1 (2, 0: none) contact mac(32)`.
public enum AnswerLink {
    static let version: UInt8 = 1
    static let macLength = 32

    /// The token for `claim`, signed with `key`.
    public static func token(_ claim: Claim, key: [UInt8]) -> String {
        Base64URL.encode(signed(claim.encoded(), key: key))
    }

    /// `bytes` followed by their MAC under `key`.
    static func signed(_ bytes: [UInt8], key: [UInt8]) -> [UInt8] {
        bytes + HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: key))
    }

    /// The token for one call: see `Claim` for what each value binds.
    public static func make(
        incident: Int64, tier: Tier, unit: String, contact: String? = nil, expires: Int64, key: [UInt8]
    ) -> String {
        token(Claim(incident: incident, tier: tier, unit: unit, contact: contact, expires: expires), key: key)
    }

    /// `{baseURL}/answer/{token}`: what a message carries as `answer_url`.
    public static func url(baseURL: String, claim: Claim, key: [UInt8]) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/answer/" + token(claim, key: key)
    }

    /// The claim `token` carries, if `key` signed it and it has not expired at `now`. The MAC
    /// is checked (in constant time) before anything in the token is believed.
    public static func verify(_ token: String, key: [UInt8], now: Date) throws(Refusal) -> Claim {
        guard let bytes = Base64URL.decode(token), bytes.count > macLength else { throw .malformed }
        let signed = bytes.prefix(bytes.count - macLength)
        let mac = bytes.suffix(macLength)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: SymmetricKey(data: key)) else {
            throw .tampered
        }
        guard let claim = Claim(decoding: Array(signed)) else { throw .malformed }
        guard Int64(now.timeIntervalSince1970.rounded(.down)) < claim.expires else { throw .expired }
        return claim
    }

    /// Why a token was refused.
    public enum Refusal: Error, Sendable, Equatable {
        /// Not signed with the answer key: changed, cut, or made up.
        case tampered
        /// Signed, but past its expiry.
        case expired
        /// Not a token at all (not base64url, too short, an unknown layout).
        case malformed
    }
}
