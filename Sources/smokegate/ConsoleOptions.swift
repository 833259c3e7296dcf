import ArgumentParser
import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore

/// Options every subcommand shares.
struct ConsoleOptions: ParsableArguments {
    @Option(name: .long, help: "The main configuration file.")
    var config: String?

    /// The configuration, or a failure that lists every problem.
    func loadConfiguration() throws -> GatewayConfiguration {
        let path = GatewayConfiguration.locate(explicit: config, environment: ProcessInfo.processInfo.environment)
        do {
            // Operators run as themselves: the receivers' secret files are the daemon's alone.
            return try GatewayConfiguration.load(from: path, readingSecrets: false)
        } catch {
            throw ConsoleFailure(
                "cannot use configuration \(path):\n" + error.problems.map { "  \($0)" }.joined(separator: "\n")
                    + "\n(name another with --config or $SMOKEGATE_CONFIG)")
        }
    }

    /// The daemon's database, opened read-only, with a message that says what to do if it cannot be.
    func openStore(_ configuration: GatewayConfiguration) throws -> Store {
        if let postgres = configuration.postgres { return try openPostgres(postgres, forWriting: false) }
        let path = configuration.databasePath
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConsoleFailure("no database at \(path): start smokegated with this configuration first")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ConsoleFailure("cannot read \(path): permission denied (run as a member of the smokegate group, or with sudo)")
        }
        do {
            let store = try Store(path: path, readOnly: true)
            guard try store.isMigrated() else {
                throw ConsoleFailure("database \(path) is from an older smokegated: start the new smokegated once to upgrade it")
            }
            return store
        } catch let failure as ConsoleFailure {
            throw failure
        } catch {
            throw ConsoleFailure("cannot open database \(path): \(error)")
        }
    }
}

extension ConsoleOptions {
    /// The daemon's database opened for an operator's change (acknowledge, resolve), with a
    /// message that says what to do when this account may not write it.
    func openStoreForWriting(_ configuration: GatewayConfiguration) throws -> Store {
        if let postgres = configuration.postgres { return try openPostgres(postgres, forWriting: true) }
        let path = configuration.databasePath
        _ = try openStore(configuration)
        let folder = (path as NSString).deletingLastPathComponent
        guard FileManager.default.isWritableFile(atPath: path), FileManager.default.isWritableFile(atPath: folder.ifEmpty("."))
        else {
            throw ConsoleFailure(
                "cannot write to \(path): permission denied (acknowledging needs write access to the database and its folder; "
                    + "run as a member of the smokegate group, or with sudo)")
        }
        do {
            return try Store(path: path)
        } catch {
            throw ConsoleFailure("cannot open database \(path) for writing: \(error)")
        }
    }
}

extension ConsoleOptions {
    /// The cluster's PostgreSQL database, with a message that says what to do if it cannot be
    /// reached or is not yet set up.
    func openPostgres(_ location: PostgresLocation, forWriting: Bool) throws -> Store {
        do {
            let store = try Store(postgres: location, readOnly: true)
            guard try store.isMigrated() else {
                throw ConsoleFailure(
                    "database \(location) is not set up for this smokegate: start smokegated with this configuration first")
            }
            return store
        } catch let failure as ConsoleFailure {
            throw failure
        } catch {
            throw ConsoleFailure("cannot open database \(location)\(forWriting ? " for writing" : ""): \(error)")
        }
    }
}
