import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The machine's boot clock (`CLOCK_BOOTTIME`, seconds since boot, suspend included) and
/// which boot this is. A status row stamped with both has an age that no wall-clock step can
/// change: NTP, an operator or a machine that booted with a stale clock may move
/// `updated_at` an hour either way, never the boot clock.
public struct BootClock: Sendable, Equatable {
    /// Seconds since this boot, suspend included.
    public var seconds: Double
    /// This boot's id (32 lower-case hex digits), or nil where it cannot be read.
    public var bootID: String?

    public init(seconds: Double, bootID: String?) {
        self.seconds = seconds
        self.bootID = bootID
    }

    /// The boot clock now, and this boot's id.
    public static func now() -> BootClock {
        BootClock(seconds: bootSeconds(), bootID: currentBootID)
    }

    /// `CLOCK_BOOTTIME` in seconds.
    public static func bootSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_BOOTTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The kernel's id of this boot, from `/proc/sys/kernel/random/boot_id`, or else from
    /// `$SMOKEGATE_BOOT_ID`: the systemd unit sets it to `%b`, because its `ProcSubset=pid`
    /// sandbox hides `/proc/sys`. Read once: it cannot change while a process runs.
    public static let currentBootID: String? = {
        let file = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
        return normalised(file) ?? normalised(ProcessInfo.processInfo.environment["SMOKEGATE_BOOT_ID"])
    }()

    /// `/proc` writes the id with dashes, systemd's `%b` without: compared without them.
    static func normalised(_ text: String?) -> String? {
        guard let text else { return nil }
        let id = text.lowercased().filter { $0.isHexDigit }
        return id.count == 32 ? id : nil
    }
}
