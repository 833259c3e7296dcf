import ArgumentParser

/// `smokegate`: the duty officer's console for the SmokeGate daemon's database.
@main
struct Smokegate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smokegate",
        abstract: "Operator console for SmokeGate: detectors, alarms and the daemon's health.",
        discussion: """
            Reads the database named by the configuration (--config, else $SMOKEGATE_CONFIG, else
            /etc/smokegate/smokegate.yaml). Every read command takes --json for one JSON value on stdout,
            times in RFC 3339 UTC; tables print clock times in local time (or $TZ's) with their UTC offset,
            such as 2026-11-29 21:47:06 +08:00.
            """,
        subcommands: [
            Alarms.self, Show.self, Acknowledge.self, Resolve.self, Report.self, Watch.self, Silences.self, Devices.self,
            Status.self, Operator.self,
        ])
}
