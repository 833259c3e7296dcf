import Foundation

/// The rule for a login name and a display name: a login name is typed at the login form
/// and written on timelines, so it is short, lower case and unambiguous; a display name is
/// what people read (a Chinese name, usually).
public enum OperatorName {
    public static let longest = 32
    public static let longestDisplay = 64

    /// Why `name` cannot be a login name, or nil when it can.
    public static func problem(with name: String) -> String? {
        guard !name.isEmpty, name.count <= longest else {
            return "a login name has 1 to \(longest) characters, got \(name.count)"
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar)
        }
        guard allowed, let first = name.unicodeScalars.first, ("a"..."z").contains(first) else {
            return "a login name starts with a letter a-z and has only a-z, 0-9, '.', '-' and '_', got '\(name)'"
        }
        return nil
    }

    /// Why `displayName` cannot be shown, or nil when it can.
    public static func problem(withDisplay displayName: String) -> String? {
        guard !displayName.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, displayName.count <= longestDisplay else {
            return "a display name has 1 to \(longestDisplay) characters, not all blank"
        }
        guard !displayName.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return "a display name must not hold control characters"
        }
        return nil
    }
}
