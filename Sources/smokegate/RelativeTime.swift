import Foundation

/// Ages as the duty desk reads them: `3m12s ago`, `2h5m ago`, `4d ago`.
enum RelativeTime {
    static func ago(_ date: Date?, now: Date) -> String {
        guard let date else { return "never" }
        let seconds = Int(now.timeIntervalSince(date).rounded(.down))
        if seconds < 0 { return "in the future" }
        switch seconds {
        case ..<60: return "\(seconds)s ago"
        case ..<3_600: return "\(seconds / 60)m\(seconds % 60)s ago"
        case ..<86_400: return "\(seconds / 3_600)h\(seconds / 60 % 60)m ago"
        default: return "\(seconds / 86_400)d ago"
        }
    }
}
