import Foundation

/// Where the tools the tests drive live.
public enum Executables {
    public static func find(_ name: String, in folders: [String]) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in folders + path.split(separator: ":").map(String.init) {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestSupportError("\(name) not found: run `make deps` to install it")
    }

    /// The folder holding the package's built binaries (beside the test bundle).
    public static var buildFolder: URL {
        if let explicit = ProcessInfo.processInfo.environment["SMOKEGATE_BIN_DIR"] {
            return URL(fileURLWithPath: explicit)
        }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the runner is `…/debug/SmokeGatePackageTests.xctest`; elsewhere a bundle.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("smokegated").path),
            folder.path != "/"
        {
            folder.deleteLastPathComponent()
        }
        return folder
    }

    /// A built product such as `smokegated`.
    public static func product(_ name: String) -> URL {
        buildFolder.appendingPathComponent(name)
    }
}
