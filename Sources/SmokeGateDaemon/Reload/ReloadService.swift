import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on each of `signals` (SIGHUP, which `systemctl reload` sends),
/// for as long as the daemon runs. A refused reload is logged by the reloader; the daemon
/// goes on with the configuration in force.
struct ReloadService: NamedService {
    let reloader: Reloader
    let signals: [UnixSignal]

    func run() async throws {
        guard !signals.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        for await _ in await UnixSignalsSequence(trapping: signals).cancelOnGracefulShutdown() {
            _ = try? await reloader.reload()
        }
    }
}
