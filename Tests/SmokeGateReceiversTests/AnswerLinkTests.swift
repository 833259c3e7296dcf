import Foundation
import SmokeGateCore
import Testing

@testable import SmokeGateReceivers

/// A link must work for the one incident and unit it was made for, until it expires, and be
/// refused after any change at all.
@Suite struct AnswerLinkTests {
    let key = Array("a key only the gateway knows, 32+ bytes long".utf8)
    let now = Date(timeIntervalSince1970: 1_750_000_000)
    var claim: AnswerLink.Claim {
        AnswerLink.Claim(incident: 42, tier: .grid, unit: "yq-c01-g01", contact: "yq-c01-g01-w", expires: 1_750_086_400)
    }

    @Test func aTokenCarriesItsClaimBack() throws {
        let token = AnswerLink.token(claim, key: key)
        #expect(try AnswerLink.verify(token, key: key, now: now) == claim)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }, "base64url, no padding: \(token)")
        let group = AnswerLink.Claim(incident: 7, tier: .street, unit: "涌泉", contact: nil, expires: 1_750_000_001)
        #expect(try AnswerLink.verify(AnswerLink.token(group, key: key), key: key, now: now) == group)
        let empty = AnswerLink.Claim(incident: 7, tier: .station, unit: "s", contact: "", expires: 1_750_000_001)
        #expect(try AnswerLink.verify(AnswerLink.token(empty, key: key), key: key, now: now).contact == "")
    }

    @Test func theURLIsTheBaseAnswerAndTheToken() throws {
        let url = AnswerLink.url(baseURL: "https://smokegate.example.org/", claim: claim, key: key)
        #expect(url == "https://smokegate.example.org/answer/" + AnswerLink.token(claim, key: key))
        #expect(
            AnswerLink.make(
                incident: 42, tier: .grid, unit: "yq-c01-g01", contact: "yq-c01-g01-w", expires: 1_750_086_400, key: key)
                == AnswerLink.token(claim, key: key))
    }

    @Test func theExpiryIsTheCallPlusValidFor() {
        let called = Date(timeIntervalSince1970: 1_750_000_000.7)
        let claim = AnswerLink.Claim(incident: 1, tier: .grid, unit: "g", calledAt: called, validFor: .seconds(86_400))
        #expect(claim.expires == 1_750_086_400)
    }

    @Test func changingAnyByteIsRefusedAsTampered() throws {
        let token = AnswerLink.token(claim, key: key)
        let bytes = try #require(Base64URL.decode(token))
        for index in bytes.indices {
            for flip: UInt8 in [0x01, 0x80] {
                var changed = bytes
                changed[index] ^= flip
                #expect(throws: AnswerLink.Refusal.tampered) {
                    try AnswerLink.verify(Base64URL.encode(changed), key: key, now: now)
                }
            }
        }
        #expect(throws: AnswerLink.Refusal.tampered) { try AnswerLink.verify(token, key: Array("another key".utf8), now: now) }
    }

    @Test func changingAnyCharacterIsRefused() {
        let token = Array(AnswerLink.token(claim, key: key))
        for index in token.indices {
            for other in ["A", "B", "_", "-", "="] where Character(other) != token[index] {
                var changed = token
                changed[index] = Character(other)
                #expect(throws: AnswerLink.Refusal.self, "character \(index) as \(other)") {
                    try AnswerLink.verify(String(changed), key: key, now: now)
                }
            }
        }
        #expect(throws: AnswerLink.Refusal.self) { try AnswerLink.verify(String(token.dropLast()), key: key, now: now) }
        #expect(throws: AnswerLink.Refusal.self) { try AnswerLink.verify(String(token) + "A", key: key, now: now) }
    }

    @Test func onlyTheCanonicalSpellingOfATokenIsTaken() throws {
        let token = AnswerLink.token(claim, key: key)
        let bytes = try #require(Base64URL.decode(token))
        try #require(bytes.count % 3 != 0, "the last character has bits that carry nothing")
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = try #require(alphabet.firstIndex(of: token.last!))
        // The lowest bit of the last character is one of those: flipped, the bytes are the same.
        let respelled = String(token.dropLast()) + String(alphabet[last ^ 1])
        #expect(Data(base64Encoded: Self.standard(respelled)).map(Array.init) == bytes)
        #expect(throws: AnswerLink.Refusal.malformed) { try AnswerLink.verify(respelled, key: key, now: now) }
    }

    static func standard(_ token: String) -> String {
        let text = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        return text + String(repeating: "=", count: (4 - text.count % 4) % 4)
    }

    @Test func aTokenIsRefusedFromItsExpirySecondOn() throws {
        let token = AnswerLink.token(claim, key: key)
        let expiry = Date(timeIntervalSince1970: TimeInterval(claim.expires))
        #expect(try AnswerLink.verify(token, key: key, now: expiry.addingTimeInterval(-0.5)) == claim)
        #expect(throws: AnswerLink.Refusal.expired) { try AnswerLink.verify(token, key: key, now: expiry) }
        #expect(throws: AnswerLink.Refusal.expired) {
            try AnswerLink.verify(token, key: key, now: expiry.addingTimeInterval(1e6))
        }
    }

    @Test func anotherIncidentsOrUnitsTokenCannotBeMadeFromThisOne() throws {
        let bytes = try #require(Base64URL.decode(AnswerLink.token(claim, key: key)))
        let mac = Array(bytes.suffix(AnswerLink.macLength))
        for other in [
            AnswerLink.Claim(incident: 43, tier: .grid, unit: "yq-c01-g01", contact: "yq-c01-g01-w", expires: claim.expires),
            AnswerLink.Claim(incident: 42, tier: .community, unit: "yq-c01", contact: "yq-c01-g01-w", expires: claim.expires),
            AnswerLink.Claim(incident: 42, tier: .grid, unit: "yq-c01-g02", contact: "yq-c01-g01-w", expires: claim.expires),
            AnswerLink.Claim(incident: 42, tier: .grid, unit: "yq-c01-g01", contact: nil, expires: claim.expires),
            AnswerLink.Claim(incident: 42, tier: .grid, unit: "yq-c01-g01", contact: "yq-c01-g01-w", expires: claim.expires + 1),
        ] {
            // The same signature on another claim: what an attacker holding one link could try.
            #expect(throws: AnswerLink.Refusal.tampered, "\(other)") {
                try AnswerLink.verify(Base64URL.encode(other.encoded() + mac), key: key, now: now)
            }
        }
    }

    @Test func junkIsMalformed() {
        for junk in ["", "abc", "!!!!", "A", String(repeating: "A", count: 20), "a b"] {
            #expect(throws: AnswerLink.Refusal.self, "\(junk)") { try AnswerLink.verify(junk, key: key, now: now) }
        }
        #expect(throws: AnswerLink.Refusal.malformed) { try AnswerLink.verify("not a token!", key: key, now: now) }
    }

    @Test func aSignedButUnknownLayoutIsMalformed() {
        var bytes = claim.encoded()
        bytes[0] = 2
        #expect(throws: AnswerLink.Refusal.malformed) {
            try AnswerLink.verify(Base64URL.encode(AnswerLink.signed(bytes, key: key)), key: key, now: now)
        }
    }
}
