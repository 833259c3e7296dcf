import Foundation

/// Resident and peak resident memory of a process, in MiB, from /proc: what benchmarks
/// report of the daemon they started.
public struct ProcessMemory: Sendable {
    public var rss = 0.0
    public var peak = 0.0

    public static func of(_ pid: Int32) -> ProcessMemory {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return ProcessMemory() }
        func field(_ name: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1_024
        }
        return ProcessMemory(rss: field("VmRSS"), peak: field("VmHWM"))
    }
}
