import ArgumentParser
import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore

/// A failure the operator can act on: printed on stderr, exit status 1.
struct ConsoleFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning a `ConsoleFailure` into a message on stderr and exit status 1.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as ConsoleFailure {
            FileHandle.standardError.write(Data("smokegate: \(failure.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
