/// How the connection to PostgreSQL is protected (`?sslmode=` in the URL). Only modes that
/// mean what they say: `prefer` and `allow` fall back to plain text without a word, and
/// `verify-ca` accepts any host the CA ever signed, so they are refused.
public enum PostgresTLS: String, Sendable, Equatable, CaseIterable {
    /// Plain TCP: loopback, or a network the site trusts. The default, as with no `sslmode`.
    case disable
    /// TLS, without checking the server's certificate: encrypted, but a man in the middle is possible.
    case require
    /// TLS with the server's certificate checked against the system's trusted CAs and the host name.
    case verifyFull = "verify-full"
}
