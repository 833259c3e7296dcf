import ArgumentParser
import Foundation
import SmokeGateCore
import SmokeGateStore

extension Smokegate {
    /// `smokegate alarms`: what the duty desk must look at now.
    struct Alarms: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List open incidents (with --all, closed ones too).",
            discussion: """
                An incident is open until someone acknowledges it, and acknowledged until someone resolves it.
                TIER is the highest tier called so far; NEXT is the tier the ladder calls next if nobody
                acknowledges, and when.

                Examples:
                  smokegate alarms
                  smokegate alarms --all --limit 50
                  smokegate alarms --json | jq '.[] | select(.kind == "fire") | .id'
                """)

        @OptionGroup var options: ConsoleOptions
        @Flag(name: .long, help: "Closed (resolved) incidents too, newest last.") var all = false
        @Option(name: .long, help: "At most this many incidents (with --all, the newest).") var limit = 1_000
        @Flag(name: .long, help: "Print one JSON array on stdout.") var json = false

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be a positive number, got \(limit)") }
        }

        func run() async throws {
            try reportingFailures {
                let configuration = try options.loadConfiguration()
                let store = try options.openStore(configuration)
                let incidents = try store.incidents(includeResolved: all, limit: limit)
                if json {
                    JSONOutput.print(incidents.map(IncidentOutput.object))
                    return
                }
                let now = Date()
                var table = TextTable([
                    "ID", "KIND", "STATE", "DEVICE", "GRID", "VENUE", "OPENED", "TIER", "NEXT", "ACKNOWLEDGED",
                ])
                for incident in incidents {
                    table.add([
                        "\(incident.id)", incident.kind.rawValue,
                        incident.state.rawValue + (incident.shieldedBy == nil ? "" : " (shielded)"),
                        incident.site.deviceID,
                        incident.site.gridID ?? "(unregistered)", incident.site.venue.ifEmpty("-"),
                        RelativeTime.ago(incident.openedAt, now: now), incident.tier?.rawValue ?? "-",
                        IncidentOutput.next(incident, now: now),
                        incident.ackedBy.map { "\($0), \(RelativeTime.ago(incident.ackedAt, now: now))" } ?? "-",
                    ])
                }
                if incidents.isEmpty {
                    print(all ? "no incidents" : "no open incidents")
                    return
                }
                print(table.render())
                let open = incidents.filter { $0.state == .open }.count
                print("\(incidents.count) incident(s), \(open) not yet acknowledged")
            }
        }
    }
}
