import Foundation

/// An http(s) URL from the configuration, checked before anything is sent to it: a receiver's
/// hook or endpoint, or the base of answer links.
struct WebAddress {
    let components: URLComponents

    /// Nil unless `text` is an absolute `http` or `https` URL with a host.
    init?(_ text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return nil }
        self.components = components
    }

    /// Plain http to another machine: what travels (calls, keys in a robot's URL, links) can
    /// be read on the way. Loopback is fine: tests, and a proxy on the same machine.
    var isPlainHTTPOffMachine: Bool {
        components.scheme?.lowercased() == "http" && !Self.isLoopback(components.host ?? "")
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
