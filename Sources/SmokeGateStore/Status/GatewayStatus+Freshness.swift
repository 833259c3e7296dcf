import Foundation

extension GatewayStatus {
    /// The age of this row at wall time `now` and boot-clock reading `boot`: on the boot clock
    /// when it was written in this boot, on the wall clock only for rows without a boot stamp.
    public func age(now: Date, boot: BootClock) -> StatusAge {
        guard let written = updatedBoottime else { return .wall(now.timeIntervalSince(updatedAt)) }
        // Without an id on either side (a sandbox hiding /proc/sys), a boot clock below the
        // stamp still tells a reboot; one above it after a reboot gives an age far too old.
        if let writtenIn = bootID.flatMap({ BootClock.normalised($0) }), let current = boot.bootID, writtenIn != current {
            return .earlierBoot
        }
        return boot.seconds >= written ? .boot(boot.seconds - written) : .earlierBoot
    }

    /// Whether the daemon that wrote this row is still running: not stopped, and written
    /// within `staleAfter` on the boot clock (or, for an old row, within `staleAfter` either
    /// way on the wall clock: a row from the future says a step, not a live daemon).
    public func isRunning(now: Date, boot: BootClock, staleAfter: TimeInterval) -> Bool {
        guard stoppedAt == nil else { return false }
        switch age(now: now, boot: boot) {
        case .boot(let seconds): return seconds <= staleAfter
        case .earlierBoot: return false
        case .wall(let seconds): return abs(seconds) <= staleAfter
        }
    }
}
