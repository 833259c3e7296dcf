import Foundation

/// One of the package's binaries run as a child process, its output captured in files.
public final class BinaryProcess: @unchecked Sendable {
    public let child: ChildProcess
    public let outputFile: URL
    public let errorFile: URL

    /// Starts `product` (e.g. `smokegated`, or an absolute path to another program) with
    /// `arguments` and extra environment.
    public init(_ product: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let folder = try TemporaryFolder.make(prefix: (product as NSString).lastPathComponent)
        outputFile = folder.appendingPathComponent("stdout")
        errorFile = folder.appendingPathComponent("stderr")
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "SMOKEGATE_CONFIG")
        merged.removeValue(forKey: "SMOKEGATE_FAULT_INJECTION")
        for (key, value) in environment { merged[key] = value }
        child = try ChildProcess(
            product.hasPrefix("/") ? product : Executables.product(product).path, arguments, environment: merged,
            standardOutput: outputFile.path,
            standardError: errorFile.path)
    }

    public var pid: Int32 { child.pid }

    /// Waits for the process to exit by itself; nil if it is still running after `timeout`.
    public func waitForExit(timeout: TimeInterval) async -> Int32? {
        await child.exit(timeout: timeout)
    }

    /// Sends `signal` (SIGTERM by default) and returns the exit code, SIGKILLing after `grace`.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, grace: TimeInterval = 20) async -> Int32? {
        guard child.isRunning else { return child.exitCode }
        kill(pid, signal)
        if let status = await waitForExit(timeout: grace) { return status }
        kill(pid, SIGKILL)
        return await waitForExit(timeout: 5)
    }

    public var standardOutput: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
    public var standardError: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Runs a short command to completion and returns its status and output.
    public static func run(
        _ product: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 60
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = try BinaryProcess(product, arguments, environment: environment)
        guard let status = await process.waitForExit(timeout: timeout) else {
            await process.stop(signal: SIGKILL)
            throw TestSupportError("\(product) \(arguments.joined(separator: " ")) did not finish in \(timeout)s")
        }
        return (status, process.standardOutput, process.standardError)
    }
}
