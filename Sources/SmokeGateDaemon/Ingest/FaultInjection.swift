import Foundation

/// Deliberate crashes at the two moments that matter for durability, and a stall, so that
/// tests can prove what survives them and what the watchdog sees. Set through
/// `SMOKEGATE_FAULT_INJECTION`; never in production.
public enum FaultInjection: String, Sendable {
    /// Die after an alarm is received and before it is committed (the broker must redeliver).
    case crashBeforeCommit = "crash-before-commit"
    /// Die after an alarm is committed and before the broker is acknowledged (the
    /// redelivery must be recognised and stored once).
    case crashAfterCommit = "crash-after-commit"
    /// Hold the network thread for eight seconds on an alarm, before committing it, as a
    /// database that stopped answering would: the watchdog pings must stop meanwhile.
    case stallOnAlarm = "stall-on-alarm"

    /// How long `stallOnAlarm` holds the thread.
    static let stall: TimeInterval = 8

    /// The exit status of a deliberate crash.
    public static let exitStatus: Int32 = 86

    func crash() -> Never {
        FileHandle.standardError.write(Data("smokegated: fault injection: \(rawValue)\n".utf8))
        _exit(Self.exitStatus)
    }
}
