import Foundation
import SmokeGateTestSupport

/// `Faults/ClockShim/clock_offset.c`, compiled for this run into a temporary folder, and the
/// file its offset is read from: a process started with `environment` has its wall clock
/// (CLOCK_REALTIME through libc) moved by whatever `step(to:)` last wrote, within 100 ms.
/// No binary is kept in the repository; the C source is.
struct ClockShim {
    let library: URL
    let offsetFile: URL

    static var source: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ClockShim/clock_offset.c")
    }

    /// Compiles the shim with a C compiler (`cc -shared -fPIC`).
    static func build() async throws -> ClockShim {
        let folder = try TemporaryFolder.make(prefix: "clock-shim")
        let library = folder.appendingPathComponent("libclock_offset.so")
        // The system's cc, or the clang every Swift toolchain on Linux ships with.
        guard let compiler = ["cc", "clang", "gcc"].lazy.compactMap({ try? Executables.find($0, in: ["/usr/bin"]) }).first
        else { throw TestSupportError("no C compiler (cc, clang or gcc) to build the clock shim with") }
        let result = try await BinaryProcess.run(
            compiler, ["-shared", "-fPIC", "-O2", "-Wall", "-o", library.path, source.path, "-ldl"], timeout: 120)
        guard result.status == 0 else {
            throw TestSupportError("cannot compile \(source.path) into the clock shim: \(result.stderr)")
        }
        let shim = ClockShim(library: library, offsetFile: folder.appendingPathComponent("offset"))
        try shim.step(to: 0)
        return shim
    }

    /// Environment variables that put a process under the shim.
    var environment: [String: String] {
        ["LD_PRELOAD": library.path, "SMOKEGATE_CLOCK_OFFSET_FILE": offsetFile.path]
    }

    /// Sets the wall clock of every process under the shim to the real one plus `seconds`
    /// (written whole, by a rename, so the shim never reads half a number).
    func step(to seconds: TimeInterval) throws {
        try String(format: "%.3f\n", seconds).write(to: offsetFile, atomically: true, encoding: .utf8)
    }
}
