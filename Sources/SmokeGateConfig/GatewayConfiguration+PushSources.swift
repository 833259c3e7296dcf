import SmokeGateCore

extension GatewayConfiguration {
    /// Paths the daemon serves itself on `http.listen`, which no push may take.
    static let reservedPaths = ["/metrics", "/healthz", "/answer"]

    /// Reads one `sources` entry with `http:` (see `PushSource`), logging every problem.
    /// `seen` holds the paths of the entries before it, good or not.
    mutating func readPushSource(_ entry: YAMLMapping, secrets: SecretFiles, seen: inout Set<String>) {
        entry.rejectUnknownKeys(["http", "format", "token_file", "allow", "body_limit", "rate_limit"])
        let path = entry.string("http", required: true)
        let formatName = entry.string("format", required: true)
        var format: PayloadFormat?
        if let formatName {
            let pushFormats: [PayloadFormat] = [.ctwing, .onenet, .iotda]
            format = PayloadFormat(rawValue: formatName)
            if let known = format, !pushFormats.contains(known) {
                entry.log.add(
                    entry.file, entry.lineOf("format"),
                    "format '\(formatName)' arrives on a topic, not by HTTP push (pushes: ctwing, onenet, iotda)")
                format = nil
            } else if format == nil {
                entry.log.add(
                    entry.file, entry.lineOf("format"),
                    "'\(entry.name("format"))' '\(formatName)' is not a push format (ctwing, onenet, iotda)")
            }
        }
        var valid = format != nil
        if let path, let problem = Self.pushPathProblem(path, taken: seen) {
            entry.log.add(entry.file, entry.lineOf("http"), "'\(entry.name("http"))' \(problem)")
            valid = false
        }
        let token = secrets.bytes(entry, "token_file", required: format == .onenet)
        if entry["token_file"] != nil, format != nil, format != .onenet {
            entry.log.add(
                entry.file, entry.lineOf("token_file"),
                "'\(entry.name("token_file"))' is for onenet, which signs its pushes; \(formatName ?? "") does not")
        }
        var allowed: [AddressRange] = []
        for node in entry.sequence("allow") {
            guard let text = node.scalar?.string, let range = AddressRange(text) else {
                entry.log.add(
                    entry.file, node.mark?.line ?? entry.lineOf("allow"),
                    "'\(entry.name("allow"))' lists '\(node.scalar?.string ?? "a non-address")', which is not an address or CIDR block (203.0.113.7, 10.0.0.0/8, 2001:db8::/32)"
                )
                valid = false
                continue
            }
            allowed.append(range)
        }
        if let path { seen.insert(path) }
        let bodyLimit = entry.integer("body_limit", in: 1_024...(4 * 1_024 * 1_024)) ?? PushSource.defaultBodyLimit
        let rateLimit = entry.integer("rate_limit", in: 1...1_000_000) ?? PushSource.defaultRateLimit
        guard valid, let path, let format else { return }
        pushSources.append(
            PushSource(
                path: path, format: format, token: token, allowed: allowed, bodyLimit: bodyLimit, rateLimit: rateLimit))
    }

    /// What is wrong with a push path, or nil: it is a plain absolute path, not one the daemon
    /// serves itself nor one already taken, and its last segment is a long secret.
    static func pushPathProblem(_ path: String, taken: Set<String>) -> String? {
        let shown = TopicLevel.shown(path)
        guard path.hasPrefix("/"), !path.hasSuffix("/"), !path.contains("//") else {
            return "'\(shown)' must be an absolute path like /push/ctwing/SECRET, without a trailing '/'"
        }
        let allowedBytes = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/".utf8)
        guard path.utf8.allSatisfy(allowedBytes.contains) else {
            return "'\(shown)' may hold only letters, digits, '/', '-', '.', '_' and '~'"
        }
        if let reserved = reservedPaths.first(where: { path == $0 || path.hasPrefix($0 + "/") }) {
            return "'\(shown)' is taken by the daemon's own \(reserved)"
        }
        if taken.contains(path) { return "'\(shown)' is listed twice" }
        let secret = path.split(separator: "/").last ?? ""
        guard secret.count >= PushSource.shortestSecret else {
            return
                "'\(shown)': its last segment is the push's only password and needs at least \(PushSource.shortestSecret) characters (for example the output of `openssl rand -hex 16`)"
        }
        return nil
    }
}
