import Foundation
import SmokeGateTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `make install` and `make uninstall` into a staging folder (DESTDIR) with the binaries these
/// tests run against, and the installed unit checked by `systemd-analyze`: clean under
/// `verify`, and an exposure of at most 2.0 under `security`.
@Suite(.serialized) struct InstallationTests {
    /// A fresh staging folder, the installation root inside it, and the output of each command.
    struct Stage {
        let folder: URL
        var root: URL { folder.appendingPathComponent("root") }

        init() throws { folder = try TemporaryFolder.make(prefix: "install") }

        func remove() { try? FileManager.default.removeItem(at: folder) }

        func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

        /// Runs `tool` to completion (at most `timeout` seconds), its output in this folder.
        func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 120) async throws -> (
            status: Int32, stdout: String, stderr: String
        ) {
            let name = UUID().uuidString.prefix(8)
            let output = folder.appendingPathComponent("\(name).stdout")
            let error = folder.appendingPathComponent("\(name).stderr")
            var environment = ProcessInfo.processInfo.environment
            // An outer `make test` must not hand its flags and variables to this `make`.
            for key in ["MAKEFLAGS", "MFLAGS", "MAKELEVEL", "DESTDIR", "PREFIX", "BIN_DIR", "NO_BUILD"] {
                environment.removeValue(forKey: key)
            }
            environment["SYSTEMD_COLORS"] = "0"
            environment["SYSTEMD_PAGER"] = ""
            let child = try ChildProcess(
                tool, arguments, environment: environment, standardOutput: output.path, standardError: error.path)
            guard let status = await child.exit(timeout: timeout) else {
                child.end(signal: SIGKILL)
                throw TestSupportError("\(tool) \(arguments.joined(separator: " ")) did not finish in \(timeout)s")
            }
            let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
            return (status, read(output), read(error))
        }

        /// `make TARGET` in the repository with DESTDIR here, PREFIX, and the tests' own
        /// (debug) binaries instead of a release build.
        func make(_ target: String, prefix: String = "/usr") async throws -> (status: Int32, stdout: String, stderr: String) {
            try await run(
                try Executables.find("make", in: ["/usr/bin", "/bin"]),
                [
                    "-s", "-C", CommandLineTests.packageRoot.path, target, "DESTDIR=\(root.path)", "PREFIX=\(prefix)",
                    "BIN_DIR=\(Executables.buildFolder.path)", "NO_BUILD=1",
                ])
        }
    }

    static func source(_ relative: String) -> String { CommandLineTests.packageRoot.appendingPathComponent(relative).path }

    /// Permission bits (with setuid, setgid and sticky) of `path`, nil if it does not exist.
    static func mode(_ path: String) -> UInt32? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode) & 0o7777
    }

    static func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    static let binaries = ["usr/bin/smokegated", "usr/bin/smokegate", "usr/bin/smokegate-sim"]
    /// Shipped scripts an operator runs: installed path and where it comes from (mode 0755).
    static let scripts: [(installed: String, source: String)] = [
        ("usr/share/smokegate/provision-detector.sh", "scripts/provision-detector.sh")
    ]
    static let unit = "usr/lib/systemd/system/smokegated.service"
    /// Everything but the binaries and the configuration: installed path and where it comes from.
    static var shippedFiles: [(installed: String, source: String)] {
        var files: [(installed: String, source: String)] = [
            (unit, "systemd/smokegated.service"),
            ("usr/lib/sysusers.d/smokegate.conf", "systemd/smokegate.sysusers"),
            ("usr/lib/tmpfiles.d/smokegate.conf", "systemd/smokegate.tmpfiles"),
            ("usr/share/smokegate/mosquitto.conf", "config/mosquitto.conf"),
            ("usr/share/smokegate/mosquitto.acl", "config/mosquitto.acl"),
            ("usr/share/doc/smokegate/broker-security.md", "docs/broker-security.md"),
            ("usr/share/doc/smokegate/README.md", "README.md"),
            ("usr/share/doc/smokegate/configuration.md", "config/README.md"),
        ]
        if FileManager.default.fileExists(atPath: source("docs/operations.md")) {
            files.append(("usr/share/doc/smokegate/operations.md", "docs/operations.md"))
        }
        // Every docs page where the installed README's links (docs/NAME.md) point.
        let pages = (try? FileManager.default.contentsOfDirectory(atPath: source("docs"))) ?? []
        for page in pages.sorted() where page.hasSuffix(".md") {
            files.append(("usr/share/doc/smokegate/docs/\(page)", "docs/\(page)"))
        }
        return files
    }
    static let configuration: [(name: String, mode: UInt32)] = [
        ("smokegate.yaml", 0o640), ("response-chain.yaml", 0o640), ("devices.csv", 0o660),
    ]

    @Test(.timeLimit(.minutes(3)))
    func installLaysOutEveryFileKeepsTheOperatorsConfigurationAndUninstallLeavesIt() async throws {
        let stage = try Stage()
        defer { stage.remove() }

        let first = try await stage.make("install")
        try #require(first.status == 0, "make install: \(first.stdout)\(first.stderr)")
        for binary in Self.binaries {
            #expect(Self.mode(stage.path(binary)) == 0o755, "\(binary)")
            let name = (binary as NSString).lastPathComponent
            let built = try FileManager.default.attributesOfItem(atPath: Executables.product(name).path)[.size] as? Int
            let installed = try? FileManager.default.attributesOfItem(atPath: stage.path(binary))[.size] as? Int
            #expect(installed == built, "\(binary) is a copy of the built \(name)")
        }
        for file in Self.shippedFiles {
            #expect(Self.mode(stage.path(file.installed)) == 0o644, "\(file.installed)")
            #expect(Self.contents(stage.path(file.installed)) == Self.contents(Self.source(file.source)), "\(file.installed)")
        }
        for file in Self.scripts {
            #expect(Self.mode(stage.path(file.installed)) == 0o755, "\(file.installed)")
            #expect(Self.contents(stage.path(file.installed)) == Self.contents(Self.source(file.source)), "\(file.installed)")
        }
        let folder = stage.path("etc/smokegate")
        #expect(Self.mode(folder).map { $0 & 0o777 } == 0o770, "etc/smokegate: group smokegate only")
        for file in Self.configuration {
            let installed = "\(folder)/\(file.name)"
            #expect(Self.mode(installed) == file.mode, "\(file.name)")
            #expect(Self.contents(installed) == Self.contents(Self.source("config/\(file.name)")), "\(file.name)")
        }
        #expect(!FileManager.default.fileExists(atPath: stage.path("etc/mosquitto")), "the broker's own folder is left alone")

        // The operator edits the main configuration; a second install keeps the edit.
        let main = "\(folder)/smokegate.yaml"
        let edited = try String(contentsOfFile: main, encoding: .utf8) + "# edited by the operator\n"
        try edited.write(toFile: main, atomically: true, encoding: .utf8)
        let second = try await stage.make("install")
        try #require(second.status == 0, "make install again: \(second.stdout)\(second.stderr)")
        #expect(try String(contentsOfFile: main, encoding: .utf8) == edited)
        #expect(Self.contents(main + ".dist") == Self.contents(Self.source("config/smokegate.yaml")))
        #expect(second.stdout.contains("smokegate.yaml.dist"), "says where the shipped version went: \(second.stdout)")
        for file in ["response-chain.yaml", "devices.csv"] {
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/\(file).dist"), "\(file) was not edited")
        }

        let removal = try await stage.make("uninstall")
        try #require(removal.status == 0, "make uninstall: \(removal.stdout)\(removal.stderr)")
        for file in Self.binaries + Self.shippedFiles.map(\.installed) + Self.scripts.map(\.installed) {
            #expect(!FileManager.default.fileExists(atPath: stage.path(file)), "\(file) removed")
        }
        #expect(try String(contentsOfFile: main, encoding: .utf8) == edited, "the operator's configuration stays")
        for file in Self.configuration {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(file.name)"), "\(file.name) stays")
        }
        #expect(removal.stdout.contains("etc/smokegate"), "says what it kept: \(removal.stdout)")
    }

    @Test(.timeLimit(.minutes(3)))
    func anotherPrefixMovesTheUnitsCommandsAndDocumentation() async throws {
        let stage = try Stage()
        defer { stage.remove() }
        let result = try await stage.make("install", prefix: "/usr/local")
        try #require(result.status == 0, "make install PREFIX=/usr/local: \(result.stdout)\(result.stderr)")
        #expect(Self.mode(stage.path("usr/local/bin/smokegated")) == 0o755)
        let unit = try String(contentsOfFile: stage.path("usr/local/lib/systemd/system/smokegated.service"), encoding: .utf8)
        #expect(unit.contains("\nExecStart=/usr/local/bin/smokegated --config /etc/smokegate/smokegate.yaml\n"), "\(unit)")
        #expect(unit.contains("Documentation=file:///usr/local/share/doc/smokegate/README.md"), "\(unit)")
        #expect(!unit.contains("/usr/bin/"), "\(unit)")
        #expect(FileManager.default.fileExists(atPath: stage.path("etc/smokegate/smokegate.yaml")), "configuration stays in /etc")
    }

    @Test(.timeLimit(.minutes(3)))
    func theInstalledUnitVerifiesCleanAndIsHardened() async throws {
        let stage = try Stage()
        defer { stage.remove() }
        let analyze = try #require(
            try? Executables.find("systemd-analyze", in: ["/usr/bin", "/bin"]),
            "systemd-analyze is not installed: install the Debian package systemd to check the unit")
        let installation = try await stage.make("install")
        try #require(installation.status == 0, "make install: \(installation.stdout)\(installation.stderr)")
        let installed = stage.path(Self.unit)

        // verify checks that ExecStart's program exists: point a copy at the staged binary.
        let checked = stage.folder.appendingPathComponent("verify")
        try FileManager.default.createDirectory(at: checked, withIntermediateDirectories: true)
        let copy = checked.appendingPathComponent("smokegated.service")
        try String(contentsOfFile: installed, encoding: .utf8)
            .replacingOccurrences(of: "=/usr/bin/smokegated ", with: "=\(stage.path("usr/bin/smokegated")) ")
            .write(to: copy, atomically: true, encoding: .utf8)
        let verify = try await stage.run(analyze, ["verify", copy.path], timeout: 60)
        #expect(verify.status == 0, "systemd-analyze verify: \(verify.stderr)")
        #expect(!verify.stderr.contains("smokegated"), "systemd-analyze verify: \(verify.stderr)")

        let security = try await stage.run(analyze, ["security", "--offline=true", "--no-pager", installed], timeout: 60)
        #expect(security.status == 0, "systemd-analyze security: \(security.stderr)")
        let line = try #require(
            security.stdout.split(separator: "\n").first { $0.contains("Overall exposure level for smokegated.service:") },
            "no overall exposure in: \(security.stdout)\(security.stderr)")
        let words = line.split(separator: ":").last?.split(separator: " ") ?? []
        let exposure = try #require(words.first.flatMap { Double($0) }, "cannot read the exposure in: \(line)")
        #expect(exposure <= 2.0, "exposure \(exposure) is above 2.0:\n\(security.stdout)")
    }
}
