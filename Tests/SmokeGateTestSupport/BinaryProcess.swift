import Foundation

/// One of the package's binaries run as a child process, its output captured in files.
public final class BinaryProcess: @unchecked Sendable {
    public let process = Process()
    public let outputFile: URL
    public let errorFile: URL

    /// Starts `product` (e.g. `smokegated`) with `arguments` and extra environment.
    public init(_ product: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws {
        let folder = try TemporaryFolder.make(prefix: product)
        outputFile = folder.appendingPathComponent("stdout")
        errorFile = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = Executables.product(product)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "SMOKEGATE_CONFIG")
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }

    /// Waits for the process to exit by itself; nil if it is still running after `timeout`.
    public func waitForExit(timeout: TimeInterval) async -> Int32? {
        guard await eventually(timeout: timeout, { !process.isRunning }) else { return nil }
        return process.terminationStatus
    }

    /// Sends `signal` (SIGTERM by default) and returns the exit status, SIGKILLing after `grace`.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, grace: TimeInterval = 20) async -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(pid, signal)
        if let status = await waitForExit(timeout: grace) { return status }
        kill(pid, SIGKILL)
        return await waitForExit(timeout: 5)
    }

    public var standardOutput: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
    public var standardError: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(pid, SIGKILL) }
    }

    /// Runs a short command to completion and returns its status and output.
    public static func run(
        _ product: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 60
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try BinaryProcess(product, arguments, environment: environment)
        guard let status = await child.waitForExit(timeout: timeout) else {
            await child.stop(signal: SIGKILL)
            throw TestSupportError("\(product) \(arguments.joined(separator: " ")) did not finish in \(timeout)s")
        }
        return (status, child.standardOutput, child.standardError)
    }
}
