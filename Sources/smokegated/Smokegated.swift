import ArgumentParser
import Foundation
import Logging
import SmokeGateConfig
import SmokeGateDaemon

/// `smokegated`: parses flags, loads the configuration and runs the daemon library.
@main
struct Smokegated: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smokegated",
        abstract: "The SmokeGate daemon: detectors over MQTT in, SQLite, the response chain out.",
        discussion: """
            The configuration is read from --config, else $SMOKEGATE_CONFIG, else /etc/smokegate/smokegate.yaml.

            Examples:
              smokegated --config config/demo/smokegate.yaml
              smokegated --config /etc/smokegate/smokegate.yaml --check-config
            """)

    @Option(name: .long, help: "The main configuration file.")
    var config: String?

    @Flag(name: .long, help: "Validate the whole configuration, print every problem, and exit.")
    var checkConfig = false

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let path = GatewayConfiguration.locate(explicit: config, environment: ProcessInfo.processInfo.environment)
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration.load(from: path)
        } catch {
            for problem in error.problems {
                FileHandle.standardError.write(Data("\(problem)\n".utf8))
            }
            throw ExitCode(1)
        }
        if checkConfig {
            // Warnings go to standard error beside problems, but the configuration is valid: exit 0.
            for warning in configuration.warnings {
                FileHandle.standardError.write(Data("\(warning.warningDescription)\n".utf8))
            }
            let grids = configuration.chain.gridCount
            print(
                "\(path): configuration is valid: \(configuration.chain.streets.count) street(s), \(grids) grid(s), "
                    + "\(configuration.devices.count) detector(s), \(configuration.sources.count + configuration.pushSources.count) source(s)"
                    + (configuration.pushSources.isEmpty ? "" : " (\(configuration.pushSources.count) by HTTP push)"))
            print(configuration.storeSummary)
            if let file = configuration.operatorsFile {
                let duty = configuration.operators.filter { $0.role.mayAct }.count
                print("operators: \(file), \(configuration.operators.count) account(s), \(duty) on duty")
            }
            return
        }
        let level = logLevel
        // Under systemd with standard error on the journal: structured entries with priorities.
        let journal = JournalLogHandler.standardErrorIsJournal()
        LoggingSystem.bootstrap { label in
            if journal {
                var handler = JournalLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "smokegated")
        for warning in configuration.warnings {
            logger.warning("configuration", metadata: ["warning": "\(warning)"])
        }
        var options = Daemon.Options()
        options.shutdownSignals = [.sigterm, .sigint]
        options.reloadSignals = [.sighup]
        if let fault = ProcessInfo.processInfo.environment["SMOKEGATE_FAULT_INJECTION"], !fault.isEmpty {
            guard let injection = FaultInjection(rawValue: fault) else {
                throw ValidationError("SMOKEGATE_FAULT_INJECTION '\(fault)' is not a known fault")
            }
            options.faultInjection = injection
            logger.warning("fault injection armed", metadata: ["fault": "\(fault)"])
        }
        let daemon: Daemon
        do {
            daemon = try Daemon(configuration: configuration, options: options, logger: logger)
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        do {
            try await daemon.run()
        } catch let failure as DaemonFailure {
            // systemd restarts a unit that exits non-zero (Restart=on-failure); the broker then
            // redelivers every message this run left unacknowledged.
            logger.critical("stopped: \(failure)")
            throw ExitCode(DaemonFailure.exitStatus)
        }
        logger.info("stopped")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
