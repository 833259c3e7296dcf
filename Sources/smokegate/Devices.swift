import ArgumentParser
import Foundation
import SmokeGateConfig
import SmokeGateStore

extension Smokegate {
    /// `smokegate devices`: the registry with what each detector last said, and imports into it.
    struct Devices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List detectors (registry, liveness, battery, last test), or import a batch of them.",
            subcommands: [List.self, Import.self], defaultSubcommand: List.self)

        static func liveness(_ row: DeviceRow, configuration: GatewayConfiguration, now: Date) -> String {
            guard let lastSeen = row.lastSeenAt else { return "never_seen" }
            let limit = configuration.profile(named: row.profile).offlineAfter.secondsValue
            return now.timeIntervalSince(lastSeen) > limit ? "offline" : "online"
        }
    }
}

extension Smokegate.Devices {
    /// `smokegate devices [list]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List detectors: registry, liveness, battery, last test.",
            discussion: """
                A detector is offline when it has not been heard for longer than its profile's offline_after.
                Detectors heard on the broker but absent from the registry are listed as unregistered: their
                faults, tamper, low battery and silence page nobody (their alarms still go to every street).

                Examples:
                  smokegate devices
                  smokegate devices --seen
                  smokegate devices --unregistered
                  smokegate devices --json | jq '.[] | select(.liveness == "offline") | .device'
                """)

        @OptionGroup var options: ConsoleOptions
        @Flag(name: .long, help: "Print one JSON array on stdout.") var json = false
        @Flag(name: .long, help: "Only detectors that have been heard from.") var seen = false
        @Flag(
            name: .long,
            help: "Only devices heard but absent from the registry: listed, never paged; forgotten a week after last heard.")
        var unregistered = false

        func run() async throws {
            try reportingFailures {
                let configuration = try options.loadConfiguration()
                let store = try options.openStore(configuration)
                let now = Date()
                let rows = try store.devices().filter { (!seen || $0.lastSeenAt != nil) && (!unregistered || !$0.registered) }
                if json {
                    JSONOutput.print(rows.map { Self.object($0, configuration: configuration, now: now) })
                    return
                }
                var table = TextTable(["DEVICE", "GRID", "VENUE", "LIVENESS", "LAST SEEN", "BATTERY", "CONDITION", "LAST TEST"])
                if unregistered { table = TextTable(["DEVICE", "FORMAT", "FIRST SEEN", "LAST SEEN", "LAST EVENT", "CONDITION"]) }
                for row in rows where unregistered {
                    table.add([
                        row.id, row.format ?? "-", RelativeTime.ago(row.firstSeenAt, now: now),
                        RelativeTime.ago(row.lastSeenAt, now: now),
                        row.lastEvent ?? "-", row.condition.names.joined(separator: ",").ifEmpty("ok"),
                    ])
                }
                for row in rows where !unregistered {
                    table.add([
                        row.id + (row.registered ? "" : " (unregistered)"), row.grid ?? "-", row.venue ?? "-",
                        Smokegate.Devices.liveness(row, configuration: configuration, now: now),
                        RelativeTime.ago(row.lastSeenAt, now: now), row.battery.map { "\($0)%" } ?? "-",
                        row.condition.names.joined(separator: ",").ifEmpty("ok"),
                        RelativeTime.ago(row.lastTestAt, now: now),
                    ])
                }
                print(table.render())
                let heard = rows.filter { $0.lastSeenAt != nil }.count
                print("\(rows.count) detectors, \(heard) heard from, \(rows.filter { !$0.registered }.count) unregistered")
            }
        }

        static func object(_ row: DeviceRow, configuration: GatewayConfiguration, now: Date) -> [String: Any] {
            [
                "device": row.id, "registered": row.registered, "grid": JSONOutput.optional(row.grid),
                "address": JSONOutput.optional(row.address), "venue": JSONOutput.optional(row.venue),
                "venue_type": JSONOutput.optional(row.venueType), "profile": row.profile,
                "format": JSONOutput.optional(row.format),
                "liveness": Smokegate.Devices.liveness(row, configuration: configuration, now: now),
                "first_seen_at": JSONOutput.time(row.firstSeenAt), "last_seen_at": JSONOutput.time(row.lastSeenAt),
                "battery": JSONOutput.optional(row.battery), "signal": JSONOutput.optional(row.signal),
                "conditions": row.condition.names, "last_event": JSONOutput.optional(row.lastEvent),
                "last_event_at": JSONOutput.time(row.lastEventAt), "last_test_at": JSONOutput.time(row.lastTestAt),
            ]
        }
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
