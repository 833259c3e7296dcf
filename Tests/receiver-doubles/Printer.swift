import Foundation
import SmokeGateTestSupport

/// Prints messages whole, one at a time, unbuffered (a pipe to `make demo` would hold them).
final class Printer: Sendable {
    let quiet: Bool
    private let lock = NSLock()

    init(quiet: Bool) { self.quiet = quiet }

    func show(_ message: ReceivedMessage) {
        guard !quiet else { return }
        lock.withLock { FileHandle.standardOutput.write(Data((message.printout + "\n").utf8)) }
    }

    func note(_ line: String) {
        lock.withLock { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
