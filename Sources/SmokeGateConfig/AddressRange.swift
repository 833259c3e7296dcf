import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An address or a CIDR block (`203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32`) for an allow-list.
/// An IPv4 address written as IPv6 (`::ffff:10.1.2.3`, as a dual-stack listener reports it) is
/// matched as IPv4.
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    /// The network's bytes (4 or 16) and how many leading bits must match.
    public let network: [UInt8]
    public let prefixLength: Int

    /// Parses `text`, or nil with nothing said: the caller names the key and line.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.bytes(of: String(parts[0])) else { return nil }
        let width = bytes.count * 8
        var length = width
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...width).contains(parsed) else { return nil }
            length = parsed
        }
        network = bytes
        prefixLength = length
    }

    public var description: String {
        let text = Self.text(of: network)
        return prefixLength == network.count * 8 ? text : "\(text)/\(prefixLength)"
    }

    /// Whether the address `bytes` is inside the range.
    public func contains(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == network.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(bytes, network) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a & mask != b & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// An address's bytes: 4 for IPv4 (also when written as IPv4-mapped IPv6), 16 for IPv6.
    public static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF { return Array(bytes.suffix(4)) }
        return bytes
    }

    private static func text(of bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(cString: buffer)
    }
}
