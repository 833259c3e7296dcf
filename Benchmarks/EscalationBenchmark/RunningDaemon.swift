import Foundation
import Logging
import SmokeGateConfig
import SmokeGateDaemon

/// The daemon library started in-process, as the daemon tests do, with its start and its stop
/// both bounded in time: the benchmark must end by itself even when the daemon does not.
final class RunningDaemon: Sendable {
    let daemon: Daemon
    private let finished = DispatchSemaphore(value: 0)

    /// Opens the database, starts every service and waits until the subscriptions are granted.
    init(configuration: GatewayConfiguration, options: Daemon.Options = Daemon.Options(), timeout: Duration = .seconds(30))
        throws
    {
        // Warnings and worse reach stderr: a critical log line explains a bad figure.
        var logger = Logger(label: "smokegated-bench") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        daemon = try Daemon(configuration: configuration, options: options, logger: logger)
        Task { [daemon, finished] in
            do {
                try await daemon.run()
            } catch {
                FileHandle.standardError.write(Data("the daemon stopped with an error: \(error)\n".utf8))
            }
            finished.signal()
        }
        let deadline = ContinuousClock.now + timeout
        while !daemon.isConnected {
            guard ContinuousClock.now < deadline else {
                _ = stop()
                throw BenchError("the daemon did not subscribe within \(timeout)")
            }
            usleep(5_000)
        }
    }

    /// Shuts the daemon down gracefully; false if it had not finished within `timeout`.
    @discardableResult
    func stop(timeout: Duration = .seconds(60)) -> Bool {
        Task { [daemon] in await daemon.shutdown() }
        let stopped = finished.wait(timeout: .now() + .milliseconds(Int(timeout.milliseconds))) == .success
        if stopped { finished.signal() }  // a second stop() returns at once
        return stopped
    }
}
