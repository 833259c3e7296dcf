/// What a console password must be. The console is reachable on the street's LAN and a duty
/// account can silence a grid, so a password is long enough not to be guessed in the
/// lock-out's few tries, and bcrypt reads only its first 72 bytes, so none is longer.
public enum PasswordRules {
    public static let shortest = 10
    public static let longestBytes = 72

    /// Why `password` cannot be `name`'s, or nil when it can.
    public static func problem(with password: String, for name: String) -> String? {
        if password.count < shortest {
            return "a password has at least \(shortest) characters, this one \(password.count)"
        }
        if password.utf8.count > longestBytes {
            return "a password has at most \(longestBytes) bytes (bcrypt reads no more), this one \(password.utf8.count)"
        }
        if password.lowercased().contains(name.lowercased()) {
            return "a password must not contain the login name"
        }
        if Set(password).count < 4 {
            return "a password needs at least 4 different characters"
        }
        return nil
    }
}
