import ArgumentParser
import Foundation
import SmokeGateConfig
import SmokeGateStore

extension Smokegate.Devices {
    /// `smokegate devices import FILE.csv`: a batch of detectors into the registry, all or nothing.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import detectors from a CSV file into the registry: every row checked first, nothing applied if one is bad.",
            discussion: """
                The file has the registry's header: device_id,grid,address,venue,venue_type,profile. Each row is
                checked against the response chain and the supervision profiles; every bad row is reported
                with its line number and then nothing is changed. Otherwise rows with a known device_id
                replace the registry's, new ones are added, and the registry file named by the configuration
                is rewritten (atomically, under a lock file beside it, so that imports run one at a time and
                none loses another's rows).

                Then a smokegated running on this machine is told to reload (as systemctl reload smokegated
                does): it places and supervises the new detectors at once, without a restart, and writes them
                into its database in short parts. Where this account may not signal it, the command to run is
                printed. With no daemon running, the database is updated here, in short parts.

                Examples:
                  smokegate devices import new-estate.csv
                  smokegate devices import new-estate.csv --dry-run
                """)

        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The CSV file to import.") var file: String
        @Flag(name: .long, help: "Check the file and say what would change, without changing anything.") var dryRun = false

        /// Rows of the device table per transaction, when no daemon runs to write them.
        static let part = 2_000

        func run() async throws {
            try reportingFailures {
                let located = try options.loadConfiguration()
                guard let registry = located.devicesFile else {
                    throw ConsoleFailure("the configuration names no registry.devices file to import into")
                }
                if dryRun {
                    let batch = try checked(into: located)
                    return print("\(file) is valid: \(Self.summary(batch)) (dry run: nothing changed)")
                }
                let reload: DaemonReload.Outcome
                do {
                    let lock = try FileLock(of: registry)
                    // Another import may have rewritten the registry while this one waited: merge
                    // into the registry as it is now.
                    let configuration = try options.loadConfiguration()
                    let batch = try checked(into: configuration)
                    try FileRewrite.replace(registry, with: batch.csv, newFileMode: 0o640)
                    print("imported \(file) into \(registry): \(Self.summary(batch))")
                    reload = try Self.putInForce(batch.merged, configuration: configuration, options: options)
                    _ = consume lock
                }
                try Self.report(reload)
            }
        }

        private func checked(into configuration: GatewayConfiguration) throws -> DeviceRegistryImport {
            do {
                return try DeviceRegistryImport(file: file, into: configuration)
            } catch {
                throw ConsoleFailure(
                    "\(file) was not imported; fix every row below and run it again (nothing was changed):\n"
                        + error.problems.map { "  \($0)" }.joined(separator: "\n"))
            }
        }

        private static func summary(_ batch: DeviceRegistryImport) -> String {
            "\(batch.added) new, \(batch.replaced) updated; the registry has \(batch.merged.count) detectors"
        }
    }
}
