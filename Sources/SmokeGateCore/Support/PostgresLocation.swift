/// Where a PostgreSQL store is: `database: postgresql://user@host:5432/dbname?sslmode=require`
/// (`postgres://` too), parsed and checked before anything connects.
///
/// The password never comes from the URL: a URL is quoted in logs, shell histories and
/// `ps`, so it is read from `database_password_file` and set on `password`. `description`
/// and `redactedURL` never hold it, and neither does any `Problem` message: a message names
/// the part that is wrong, never the text of the user-info part.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// A host name or address, without the brackets an IPv6 address has in the URL.
    public var host: String
    public var port: Int
    public var user: String
    /// The database's name (the URL's path).
    public var database: String
    /// From `database_password_file`; nil where the server needs none (peer, certificate or trust).
    public var password: String?
    public var tls: PostgresTLS

    /// PostgreSQL's own port.
    public static let defaultPort = 5432
    /// PostgreSQL cuts names longer than this many bytes (NAMEDATALEN - 1): a longer user or
    /// database would silently be another one.
    public static let longestName = 63

    public init(
        host: String, port: Int = PostgresLocation.defaultPort, user: String, database: String, password: String? = nil,
        tls: PostgresTLS = .disable
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.password = password
        self.tls = tls
    }

    /// What is wrong with a URL, said so that the operator can fix it, without quoting a secret.
    /// The message is said of the URL (`holds a password: …`, `names no database: …`), so that
    /// it reads after "the URL" or "it".
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String

        public init(_ message: String) {
            self.message = message
        }

        public var description: String { message }
    }

    /// Whether `text` is meant as a PostgreSQL URL (its scheme is `postgresql` or `postgres`,
    /// in any case), rather than a SQLite file's path.
    public static func isURL(_ text: String) -> Bool {
        scheme(of: text).map { schemes.contains($0.lowercased()) } ?? false
    }

    /// The scheme of `text` when it is written `scheme://…` (`mysql`), else nil: a path may hold
    /// a ':' but not a scheme.
    public static func scheme(of text: String) -> String? {
        guard let range = text.range(of: "://") else { return nil }
        let scheme = text[..<range.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        return String(scheme)
    }

    private static let schemes: Set<String> = ["postgresql", "postgres"]

    /// Parses `postgresql://user@host[:port]/database[?sslmode=MODE]`. The host may be an IPv6
    /// address in brackets; user and database may be percent-encoded (`%40` for '@').
    public init(url text: String) throws(Problem) {
        guard let scheme = Self.scheme(of: text), Self.schemes.contains(scheme.lowercased()) else {
            throw Problem("must start with postgresql:// or postgres://")
        }
        var rest = Substring(text.dropFirst(scheme.count + 3))

        // Everything before the last '@' is the user (and a password, if someone wrote one):
        // an '@' in a password is often left unencoded, and nothing after it may be quoted.
        guard let at = rest.lastIndex(of: "@") else {
            throw Problem("names no user: write postgresql://USER@HOST:5432/DATABASE")
        }
        let userInfo = rest[..<at]
        rest = rest[rest.index(after: at)...]
        if userInfo.contains(":") {
            throw Problem(
                "holds a password: put the password in database_password_file (a file of its own, mode 0600), not in the URL")
        }
        guard !userInfo.isEmpty else { throw Problem("names no user: write postgresql://USER@HOST:5432/DATABASE") }
        if userInfo.contains(where: { "/?#".contains($0) }) {
            throw Problem("has a '/', '?' or '#' in its user name: write them percent-encoded (%2F, %3F, %23)")
        }
        user = try Self.name(userInfo, "user")

        if rest.contains("#") {
            throw Problem("has a '#': a fragment means nothing to PostgreSQL (write a '#' in a name as %23)")
        }
        var query: Substring = ""
        if let question = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: question)...]
            rest = rest[..<question]
        }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        (host, port) = try Self.hostAndPort(authority)

        guard path.count > 1 else {
            throw Problem("names no database: write postgresql://\(Self.encoded(user))@HOST:5432/DATABASE")
        }
        let databaseText = path.dropFirst()
        if databaseText.contains("/") { throw Problem("has a '/' in its database name: a database is one name") }
        database = try Self.name(databaseText, "database name")
        tls = try Self.tls(query)
        password = nil
    }

    /// `user@host:port/database`, for logs, `status` and `--check-config`: never the password.
    public var description: String {
        "\(user)@\(hostInURL):\(port)/\(database)"
    }

    /// The same as `description`, so that `String(reflecting:)` shows no password either.
    public var debugDescription: String { description }

    /// What `dump` and debuggers show: the fields, the password only as set or not.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "user": user, "database": database, "password": password == nil ? "none" : "(set)",
                "tls": tls,
            ], displayStyle: .struct)
    }

    /// The URL that names this location, without the password: it parses back to the same
    /// location (less the password).
    public var redactedURL: String {
        "postgresql://\(Self.encoded(user))@\(hostInURL):\(port)/\(Self.encoded(database))"
            + (tls == .disable ? "" : "?sslmode=\(tls.rawValue)")
    }

    private var hostInURL: String { host.contains(":") ? "[\(host)]" : host }
}

extension PostgresLocation {
    fileprivate static func hostAndPort(_ authority: Substring) throws(Problem) -> (String, Int) {
        var host: String
        var afterHost: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw Problem("has a '[' without its ']' around the host") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            afterHost = authority[authority.index(after: close)...]
            let ipv6 = Set("0123456789abcdefABCDEF:.")
            guard host.contains(":"), host.allSatisfy({ ipv6.contains($0) }) else {
                throw Problem("has '[\(host)]' for a host, which is not an IPv6 address")
            }
        } else {
            let end = authority.firstIndex(of: ":") ?? authority.endIndex
            host = try decoded(authority[..<end], "host")
            afterHost = authority[end...]
            guard !host.isEmpty else { throw Problem("names no host: write postgresql://USER@HOST:5432/DATABASE") }
            if host.contains(",") {
                throw Problem(
                    "names more than one host: give one address (a virtual address or a proxy in front of a replicated PostgreSQL)"
                )
            }
            if host.hasPrefix("/") { throw Problem("names a Unix socket: give a host name or address") }
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")
            guard host.allSatisfy({ allowed.contains($0) }) else {
                throw Problem(
                    "has '\(shown(host))' for a host: a name or address of letters, digits, '-', '.' and '_' (IPv6 in brackets)"
                )
            }
        }
        guard !afterHost.isEmpty else { return (host, defaultPort) }
        guard afterHost.first == ":" else { throw Problem("has '\(shown(String(afterHost)))' after the host, not ':PORT'") }
        let portText = afterHost.dropFirst()
        guard !portText.isEmpty else { throw Problem("has a ':' after the host but no port") }
        guard portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portText), (1...65_535).contains(port)
        else {
            throw Problem("has port '\(shown(String(portText)))': a port is a whole number from 1 to 65535")
        }
        return (host, port)
    }

    /// `sslmode` from the query; no other parameter is taken, so that none is silently ignored.
    fileprivate static func tls(_ query: Substring) throws(Problem) -> PostgresTLS {
        var mode: PostgresTLS?
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try decoded(parts[0], "parameter name")
            guard key == "sslmode" else {
                if key == "password" {
                    throw Problem("holds a password: put the password in database_password_file, not in the URL")
                }
                // Only the name is quoted: an unknown parameter's value might be a secret.
                throw Problem("has the parameter '\(shown(key))', which is not taken (only sslmode is)")
            }
            guard mode == nil else { throw Problem("gives sslmode twice") }
            let value = try decoded(parts.count > 1 ? parts[1] : "", "sslmode")
            let known = PostgresTLS.allCases.map(\.rawValue).joined(separator: ", ")
            guard let parsed = PostgresTLS(rawValue: value) else {
                let why =
                    switch value {
                    case "prefer", "allow": ": it falls back to plain text without a word"
                    case "verify-ca": ": it does not check the host name (verify-full does)"
                    default: ""
                    }
                throw Problem("has sslmode '\(shown(value))', which is not taken (\(known))\(why)")
            }
            mode = parsed
        }
        return mode ?? .disable
    }

    /// A user or database name: percent-decoded, not empty, no control characters, and no
    /// longer than PostgreSQL keeps.
    fileprivate static func name(_ text: Substring, _ what: String) throws(Problem) -> String {
        let name = try decoded(text, what)
        guard !name.isEmpty else { throw Problem("has an empty \(what)") }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw Problem("has a control character in its \(what)")
        }
        guard name.utf8.count <= longestName else {
            throw Problem("has a \(what) longer than \(longestName) bytes, which PostgreSQL would cut short")
        }
        return name
    }

    /// `text` with its `%XX` escapes decoded, as UTF-8.
    fileprivate static func decoded(_ text: Substring, _ what: String) throws(Problem) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            let hex = utf8.prefix(2)
            guard hex.count == 2, hex.allSatisfy(isHexDigit), let value = UInt8(String(decoding: hex, as: UTF8.self), radix: 16)
            else {
                throw Problem("has a '%' in its \(what) that is not followed by two hex digits")
            }
            bytes.append(value)
            utf8 = utf8.dropFirst(2)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw Problem("has a \(what) whose %-escapes are not UTF-8")
        }
        return decoded
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// `text` percent-encoded for a URL: unreserved characters stay, every other byte is `%XX`.
    fileprivate static func encoded(_ text: String) -> String {
        let unreserved = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~".utf8)
        var result = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }

    /// `text` for a message, control characters shown as code points.
    fileprivate static func shown(_ text: String) -> String {
        text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control
                ? "U+\(String(scalar.value, radix: 16, uppercase: true))" : String(scalar)
        }.joined()
    }
}
