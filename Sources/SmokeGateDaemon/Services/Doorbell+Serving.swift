import Foundation
import Logging
import ServiceLifecycle
import SmokeGateSync

extension Doorbell {
    /// The loop of a service driven by this bell, until graceful shutdown: run `step`, then
    /// wait for a ring or for the time the step asked for (nil: until rung; zero: go again at
    /// once). A step that throws is logged with `failure` and retried after a pause that
    /// grows to a second, for a database that is locked or full must not spin the CPU.
    /// `monitor` marks each step, so the watchdog can tell a stuck step from an idle wait. A
    /// store error that no retry can fix is reported to `monitor.fatal`, which stops the
    /// daemon; the loop then waits for that shutdown instead of retrying.
    func serve(failure: String, logger: Logger, monitor: LoopMonitor, _ step: () async throws -> Duration?) async {
        var failures = 0
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let wait: Duration?
            do {
                monitor.begin()
                defer { monitor.end() }
                wait = try await step()
                failures = 0
            } catch {
                if let fatal = monitor.fatal, fatal.failIfPermanent(error, loop: monitor.name, logger: logger) {
                    try? await gracefulShutdown()
                    return
                }
                failures += 1
                logger.critical("\(failure); retrying", metadata: ["attempt": "\(failures)", "error": "\(error)"])
                wait = .milliseconds(min(100 * failures, 1_000))
            }
            if wait == .zero { continue }
            await cancelWhenGracefulShutdown { await self.wait(timeout: wait) }
        }
    }
}
