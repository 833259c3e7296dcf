import ArgumentParser
import Foundation
import SmokeGateCore
import SmokeGateStore

extension Smokegate {
    /// `smokegate show ID`: one incident and everything that happened to it.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one incident and its timeline.",
            discussion: """
                The timeline lists every step: the opening, each tier called and why (and how late, after
                the daemon was down), repeated alarms, clears, acknowledgement and resolution, with who did it.

                Examples:
                  smokegate show 42
                  smokegate show 42 --json | jq '.timeline[] | select(.action == "called")'
                """)

        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The incident's id (smokegate alarms lists them).") var id: Int64
        @Flag(name: .long, help: "Print one JSON object on stdout.") var json = false

        func run() async throws {
            try reportingFailures {
                let configuration = try options.loadConfiguration()
                let store = try options.openStore(configuration)
                guard let incident = try store.incident(id) else {
                    throw ConsoleFailure("no incident \(id) (smokegate alarms --all lists them)")
                }
                let timeline = try store.auditedTimeline(of: id)
                let deliveries = try store.deliveries(of: id)
                if json {
                    var object = IncidentOutput.object(incident)
                    object["timeline"] = timeline.map { IncidentOutput.object($0.entry, osUser: $0.osUser) }
                    object["deliveries"] = deliveries.map(DeliveryOutput.object)
                    JSONOutput.print(object)
                    return
                }
                let now = Date()
                let site = incident.site
                print("incident \(incident.id): \(incident.kind.rawValue), \(incident.state.rawValue)")
                print("device    \(site.deviceID)\(site.isPlaced ? "" : " (not in the registry)")")
                if site.isPlaced {
                    print(
                        "where     \(site.address) · \(site.venue) · grid \(site.gridID ?? "-") · community \(site.communityID ?? "-") · street \(site.streetID ?? "-")"
                    )
                }
                print("opened    \(LocalTime.format(incident.openedAt)) (\(RelativeTime.ago(incident.openedAt, now: now)))")
                print(
                    "called    \(incident.calledInOrder.map(\.rawValue).joined(separator: ", ").ifEmpty("nobody yet")); next: \(IncidentOutput.next(incident, now: now))"
                )
                if let silence = incident.silencedBy { print("silenced  \(silence): nobody was called") }
                if let by = incident.ackedBy { print("acked     by \(by) at \(LocalTime.format(incident.ackedAt))") }
                if let by = incident.resolvedBy {
                    print("resolved  by \(by) at \(LocalTime.format(incident.resolvedAt)): \(incident.cause ?? "-")")
                }
                print("")
                var table = TextTable(["AT", "ACTION", "TIER", "BY", "VIA", "NOTE"])
                for (entry, osUser) in timeline {
                    table.add([
                        LocalTime.format(entry.at), entry.action.rawValue, entry.tier?.rawValue ?? "",
                        entry.by.map { by in osUser.map { "\(by) [\($0)]" } ?? by } ?? "", entry.channel ?? "",
                        entry.note ?? "",
                    ])
                }
                print(table.render())
                if !deliveries.isEmpty {
                    print("")
                    print(DeliveryOutput.table(deliveries))
                }
            }
        }
    }
}
