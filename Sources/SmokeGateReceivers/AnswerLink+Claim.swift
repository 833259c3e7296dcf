import Foundation
import SmokeGateCore

extension AnswerLink {
    /// What a link is good for: answering incident `incident` as the unit `unit` of `tier`
    /// that was called (as contact `contact` where the call went to one person), until
    /// `expires` (Unix seconds).
    public struct Claim: Sendable, Equatable {
        public var incident: Int64
        public var tier: Tier
        public var unit: String
        /// The person a text or voice call addressed; nil for a group's robot or a webhook,
        /// whose page asks who is answering.
        public var contact: String?
        /// Unix seconds: the link is refused from this second on.
        public var expires: Int64

        public init(incident: Int64, tier: Tier, unit: String, contact: String? = nil, expires: Int64) {
            self.incident = incident
            self.tier = tier
            self.unit = unit
            self.contact = contact
            self.expires = expires
        }

        /// The claim for a call made at `calledAt`: it works for `validFor` after the call, so
        /// every retry of the same delivery carries the same link.
        public init(incident: Int64, tier: Tier, unit: String, contact: String? = nil, calledAt: Date, validFor: Duration) {
            self.init(
                incident: incident, tier: tier, unit: unit, contact: contact,
                expires: Int64((calledAt.timeIntervalSince1970 + validFor.secondsValue).rounded(.down)))
        }

        /// When the link stops working.
        public var expiresAt: Date { Date(timeIntervalSince1970: TimeInterval(expires)) }

        func encoded() -> [UInt8] {
            let unitBytes = Array(unit.utf8)
            let contactBytes = contact.map { Array($0.utf8) }
            precondition(unitBytes.count < Int(UInt16.max) && (contactBytes?.count ?? 0) < Int(UInt16.max))
            var bytes: [UInt8] = [AnswerLink.version, UInt8(Tier.allCases.firstIndex(of: tier)!)]
            bytes += Self.bigEndian(UInt64(bitPattern: incident))
            bytes += Self.bigEndian(UInt64(bitPattern: expires))
            bytes += Self.bigEndian(UInt16(unitBytes.count)) + unitBytes
            bytes += Self.bigEndian(UInt16(contactBytes.map { $0.count + 1 } ?? 0)) + (contactBytes ?? [])
            return bytes
        }

        /// Reads `encoded()`'s bytes back; nil unless they are exactly one claim of this version.
        init?(decoding bytes: [UInt8]) {
            var reader = Reader(bytes: bytes[...])
            guard reader.byte() == AnswerLink.version, let tierIndex = reader.byte(), Int(tierIndex) < Tier.allCases.count,
                let incident = reader.integer(UInt64.self), let expires = reader.integer(UInt64.self),
                let unitLength = reader.integer(UInt16.self), let unit = reader.text(Int(unitLength)),
                let contactLength = reader.integer(UInt16.self)
            else { return nil }
            var contact: String?
            if contactLength > 0 {
                guard let text = reader.text(Int(contactLength) - 1) else { return nil }
                contact = text
            }
            guard reader.bytes.isEmpty else { return nil }
            self.init(
                incident: Int64(bitPattern: incident), tier: Tier.allCases[Int(tierIndex)], unit: unit, contact: contact,
                expires: Int64(bitPattern: expires))
        }

        private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            withUnsafeBytes(of: value.bigEndian, Array.init)
        }

        /// Takes fields off the front of the claim's bytes.
        private struct Reader {
            var bytes: ArraySlice<UInt8>

            mutating func byte() -> UInt8? { bytes.popFirst() }

            mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
                let size = MemoryLayout<T>.size
                guard bytes.count >= size else { return nil }
                let value = bytes.prefix(size).reduce(T(0)) { $0 << 8 | T($1) }
                bytes = bytes.dropFirst(size)
                return value
            }

            mutating func text(_ count: Int) -> String? {
                guard count >= 0, bytes.count >= count else { return nil }
                let text = String(validating: bytes.prefix(count), as: UTF8.self)
                bytes = bytes.dropFirst(count)
                return text
            }
        }
    }
}
