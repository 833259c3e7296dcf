import ArgumentParser
import Foundation
import SmokeGateCore
import SmokeGateStore

extension Smokegate {
    /// `smokegate alarms`: what the duty desk must look at now.
    struct Alarms: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List unresolved incidents, fires first (with --all, resolved ones too).",
            discussion: """
                Unresolved fires come first, those nobody has acknowledged before those acknowledged, newest
                first; then fires silenced by a silence; then the maintenance jobs (fault, tamper, low_battery,
                offline), newest first. With --all, resolved incidents follow, newest first. Under the table,
                the incidents are counted by kind and state. A list cut at --limit says how many more there
                are, how many of them are fires, and how to see them; with --json that note goes to stderr,
                and stdout holds exactly one JSON array.

                An incident is open until someone acknowledges it, and acknowledged until someone resolves it.
                TIER is the highest tier called so far; NEXT is the tier the ladder calls next if nobody
                acknowledges, and when; OPENED and ACKNOWLEDGED are ages.

                Examples:
                  smokegate alarms
                  smokegate alarms --kind fire
                  smokegate alarms --all --limit 50
                  smokegate alarms --json | jq '.[] | select(.kind == "fire") | .id'
                """)

        @OptionGroup var options: ConsoleOptions
        @Flag(name: .long, help: "Resolved incidents too, after the unresolved ones, newest first.") var all = false
        @Option(name: .long, help: "At most this many incidents, the most urgent; the rest are counted.") var limit = 1_000
        @Option(name: .long, help: "Only this kind: fire, fault, tamper, low_battery or offline.") var kind: String?
        @Flag(name: .long, help: "Print one JSON array on stdout.") var json = false

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be a positive number, got \(limit)") }
            if let kind, IncidentKind(rawValue: kind) == nil {
                let kinds = IncidentKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--kind must be one of \(kinds); got '\(kind)'")
            }
        }

        func run() async throws {
            try reportingFailures {
                let configuration = try options.loadConfiguration()
                let store = try options.openStore(configuration)
                let kind = self.kind.flatMap(IncidentKind.init(rawValue:))
                let (incidents, counts) = try store.incidentsWithCounts(includeResolved: all, kind: kind, limit: limit)
                let summary = IncidentSummary(counts: counts, shown: incidents, kind: kind, includeResolved: all)
                if json {
                    JSONOutput.print(incidents.map(IncidentOutput.object))
                    if let more = summary.moreText {
                        FileHandle.standardError.write(
                            Data("smokegate: cut at --limit \(limit): \(more); \(summary.hint)\n".utf8))
                    }
                    return
                }
                guard !incidents.isEmpty else {
                    let what = kind.map { " \($0.rawValue)" } ?? ""
                    print(all ? "no\(what) incidents" : "no unresolved\(what) incidents")
                    return
                }
                print(Self.table(incidents, now: Date()).render())
                print(summary.countsLine)
                if let more = summary.moreText { print("… \(more): \(summary.hint)") }
            }
        }

        static func table(_ incidents: [Incident], now: Date) -> TextTable {
            var table = TextTable([
                "ID", "KIND", "STATE", "DEVICE", "GRID", "VENUE", "OPENED", "TIER", "NEXT", "ACKNOWLEDGED",
            ])
            for incident in incidents {
                table.add([
                    "\(incident.id)", incident.kind.rawValue,
                    incident.state.rawValue + (incident.silencedBy == nil ? "" : " (silenced)"),
                    incident.site.deviceID,
                    incident.site.gridID ?? "(unregistered)", incident.site.venue.ifEmpty("-"),
                    RelativeTime.ago(incident.openedAt, now: now), incident.tier?.rawValue ?? "-",
                    IncidentOutput.next(incident, now: now),
                    incident.ackedBy.map { "\($0), \(RelativeTime.ago(incident.ackedAt, now: now))" } ?? "-",
                ])
            }
            return table
        }
    }
}
