/// Why the daemon stopped on its own: a store error that no retry can fix. `Daemon.run()`
/// throws it after a quick shutdown, and `smokegated` exits with `exitStatus`, so systemd
/// restarts the process and the broker redelivers what was never acknowledged.
public struct DaemonFailure: Error, Sendable, CustomStringConvertible {
    /// The loop that gave up: `ingest`, `scheduler`, `dispatcher`, `flusher`, `supervision`.
    public var loop: String
    /// The detector whose event could not be stored, where there is one.
    public var device: String?
    /// The store's error, as it described itself.
    public var error: String

    /// The exit status of `smokegated` after a failure: distinct from 1 (bad configuration),
    /// non-zero so that `Restart=on-failure` restarts it.
    public static let exitStatus: Int32 = 75

    public var description: String {
        "\(loop) stopped on a store error that retrying cannot fix"
            + (device.map { " (device \($0))" } ?? "") + ": \(error); restarting so the broker redelivers"
    }
}
