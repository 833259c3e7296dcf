import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore

extension Smokegate.Devices.Import {
    /// Puts the merged registry in force: a running daemon reloads (and writes its device table
    /// itself, in short parts, between alarms); with none running, the table is written here,
    /// in short parts too, so that an alarm committed meanwhile by a starting daemon waits for
    /// one part at most.
    static func putInForce(
        _ merged: DeviceRegistry, configuration: GatewayConfiguration, options: ConsoleOptions
    ) throws -> DaemonReload.Outcome {
        guard configuration.usesPostgres || FileManager.default.fileExists(atPath: configuration.databasePath) else {
            return .notRunning
        }
        let outcome = DaemonReload.request(try options.openStore(configuration))
        guard case .notRunning = outcome else { return outcome }
        let store = try options.openStoreForWriting(configuration)
        guard let changes = try store.registryChanges(merged) else { return outcome }
        for start in stride(from: 0, to: changes.rowCount, by: part) {
            try store.write(changes, of: merged, rows: start..<min(start + part, changes.rowCount))
        }
        return outcome
    }

    /// Says what became of the reload; a refused one fails the command.
    static func report(_ outcome: DaemonReload.Outcome) throws {
        switch outcome {
        case .reloaded(let summary):
            print("smokegated reloaded: \(summary)")
        case .refused(let problems):
            throw ConsoleFailure(
                "the registry was written, but smokegated refused to reload and runs on its old configuration:\n"
                    + problems.map { "  \($0)" }.joined(separator: "\n")
                    + "\nfix every problem above, then run: systemctl reload smokegated")
        case .noAnswer(let pid):
            print(
                "smokegated (pid \(pid)) was told to reload but has not answered yet: "
                    + "smokegate status shows the outcome once it has")
        case .notPermitted(let pid):
            print(
                "smokegated (pid \(pid)) runs here, but this account may not tell it to reload: "
                    + "run `sudo systemctl reload smokegated` to place and supervise the new detectors")
        case .notRunning:
            print(
                "smokegated is not running here: it reads the registry when it starts "
                    + "(if it runs on another machine, run `systemctl reload smokegated` there)")
        }
    }
}
