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
                is rewritten. smokegated reads the registry when it starts: restart it to supervise and place
                the new detectors.

                Examples:
                  smokegate devices import new-estate.csv
                  smokegate devices import new-estate.csv --dry-run
                """)

        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The CSV file to import.") var file: String
        @Flag(name: .long, help: "Check the file and say what would change, without changing anything.") var dryRun = false

        func run() async throws {
            try reportingFailures {
                let configuration = try options.loadConfiguration()
                guard let registry = configuration.devicesFile else {
                    throw ConsoleFailure("the configuration names no registry.devices file to import into")
                }
                let batch: DeviceRegistryImport
                do {
                    batch = try DeviceRegistryImport(file: file, into: configuration)
                } catch let error as ConfigurationError {
                    throw ConsoleFailure(
                        "\(file) was not imported; fix every row below and run it again (nothing was changed):\n"
                            + error.problems.map { "  \($0)" }.joined(separator: "\n"))
                }
                let summary = "\(batch.added) new, \(batch.replaced) updated; the registry has \(batch.merged.count) detectors"
                if dryRun { return print("\(file) is valid: \(summary) (dry run: nothing changed)") }
                do {
                    // The atomic rewrite makes a new file: give it the old one's mode and group,
                    // so an operator's umask does not open the registry up or lock the daemon out.
                    let before = try? FileManager.default.attributesOfItem(atPath: registry)
                    try Data(batch.csv.utf8).write(to: URL(fileURLWithPath: registry), options: .atomic)
                    if let before {
                        var kept: [FileAttributeKey: Any] = [:]
                        kept[.posixPermissions] = before[.posixPermissions]
                        kept[.groupOwnerAccountID] = before[.groupOwnerAccountID]
                        try? FileManager.default.setAttributes(kept, ofItemAtPath: registry)
                    }
                } catch {
                    throw ConsoleFailure(
                        "cannot write \(registry): \(error.localizedDescription) (run as a member of the smokegate group, or with sudo)"
                    )
                }
                if FileManager.default.fileExists(atPath: configuration.databasePath) {
                    try options.openStoreForWriting(configuration).syncRegistry(batch.merged)
                }
                print("imported \(file) into \(registry): \(summary)")
                print("smokegated reads the registry when it starts: restart it (systemctl restart smokegated) to supervise them")
            }
        }
    }
}
