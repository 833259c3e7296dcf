import Foundation
import Logging
import SmokeGateConfig
import SmokeGateCore
import SmokeGateDaemon
import SmokeGateStore
import SmokeGateTestSupport
import Synchronization

/// How a daemon's run ended, written by the task that ran it.
final class RunEnding: Sendable {
    private let result = Mutex<Result<Void, any Error>?>(nil)

    func set(_ value: Result<Void, any Error>?) { result.withLock { $0 = value } }

    var value: Result<Void, any Error>? { result.withLock { $0 } }
}
