import ArgumentParser
import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore

extension Smokegate {
    /// `smokegate report`: the street's look back (回头看) at how the chain performed.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report per grid and community: fires, causes, time to answer, detectors offline and untested.",
            discussion: """
                For the fires opened in the window: how many, how they were resolved (false_alarm, cooking,
                test, real_fire, device_fault, other), the median and 90th-percentile time from the alarm to
                the first answer (an acknowledgement, or a resolution without one), and the share answered
                within the 3, 10 and 15 minute circles. For the detectors, now: how many are offline (not heard
                past their profile's offline_after, or never heard) and how many have not been tested for 30
                days.

                Examples:
                  smokegate report
                  smokegate report --since 7d
                  smokegate report --since 90d --json | jq '.communities'
                """)

        @OptionGroup var options: ConsoleOptions
        @Option(name: .long, help: "The window: fires opened in the last 30d, 7d, 12h, ... (at most 36500d).") var since = "30d"
        @Flag(name: .long, help: "Print one JSON object on stdout.") var json = false

        static let untestedAfter: TimeInterval = 30 * 86_400

        func validate() throws {
            guard let window = DurationText.parse(since), window > .zero else {
                throw ValidationError("--since must be a duration such as 30d, 7d or 12h, got '\(since)'")
            }
            // Far enough back to cover any history, near enough that the start is still a date.
            guard window <= DurationText.longest else {
                throw ValidationError(
                    "--since reaches back too far: '\(since)' (at most \(DurationText.longestText), a century, which covers any history)"
                )
            }
        }

        func run() async throws {
            try reportingFailures {
                let configuration = try options.loadConfiguration()
                let store = try options.openStore(configuration)
                let now = Date()
                let start = now.addingTimeInterval(-(DurationText.parse(since)?.secondsValue ?? 0))
                let detectors = try store.devices().filter(\.registered).compactMap { row -> ChainReport.Detector? in
                    guard let grid = row.grid else { return nil }
                    let offline = Smokegate.Devices.liveness(row, configuration: configuration, now: now) != "online"
                    let untested = row.lastTestAt.map { now.timeIntervalSince($0) > Self.untestedAfter } ?? true
                    return ChainReport.Detector(gridID: grid, offline: offline, untested: untested)
                }
                let chain = configuration.chain
                let gridIDs = chain.streets.flatMap { $0.communities.flatMap { $0.grids.map(\.id) } }
                let report = ChainReport(
                    fires: try store.fires(since: start), detectors: detectors, gridIDs: gridIDs,
                    communityOf: { chain.placement(ofGrid: $0)?.community.id })
                if json {
                    JSONOutput.print([
                        "since": RFC3339.format(start), "until": RFC3339.format(now),
                        "grids": report.grids.map(Self.object), "communities": report.communities.map(Self.object),
                        "total": Self.object(report.total),
                    ])
                    return
                }
                print("fires opened since \(LocalTime.format(start)) (\(since)); detectors as of now\n")
                print(Self.table(report.communities + [report.total], unitHeader: "COMMUNITY").render())
                print("")
                print(
                    Self.table(
                        report.grids.filter { $0.fireAlarms > 0 || $0.offlineNow > 0 || $0.untested30d > 0 }, unitHeader: "GRID"
                    ).render())
            }
        }

        static func object(_ row: ChainReport.Row) -> [String: Any] {
            [
                "unit": row.unit, "fire_alarms": row.fireAlarms, "unresolved": row.unresolved, "resolutions": row.resolutions,
                "answer_median_seconds": JSONOutput.optional(row.answerMedian),
                "answer_p90_seconds": JSONOutput.optional(row.answerP90),
                "answered_within": Dictionary(
                    uniqueKeysWithValues: zip(["3m", "10m", "15m"], row.answeredWithin).map { ($0, $1) }),
                "detectors": row.detectors, "offline_now": row.offlineNow, "untested_30d": row.untested30d,
            ]
        }

        static func table(_ rows: [ChainReport.Row], unitHeader: String) -> TextTable {
            var table = TextTable([
                unitHeader, "FIRES", "UNRESOLVED", "FALSE", "COOKING", "TEST", "REAL", "FAULT", "OTHER", "ANSWER p50", "p90",
                "≤3m", "≤10m", "≤15m", "DETECTORS", "OFFLINE", "UNTESTED 30d",
            ])
            for row in rows {
                let causes = ChainReport.causes.map { "\(row.resolutions[$0] ?? 0)" }
                table.add(
                    [row.unit, "\(row.fireAlarms)", "\(row.unresolved)"] + causes + [
                        duration(row.answerMedian), duration(row.answerP90),
                    ] + row.answeredWithin.map { row.fireAlarms == 0 ? "-" : "\(Int(($0 * 100).rounded()))%" } + [
                        "\(row.detectors)", "\(row.offlineNow)", "\(row.untested30d)",
                    ])
            }
            return table
        }

        static func duration(_ seconds: TimeInterval?) -> String {
            guard let seconds else { return "-" }
            let whole = Int(seconds.rounded())
            return whole < 60 ? "\(whole)s" : "\(whole / 60)m\(String(format: "%02d", whole % 60))s"
        }
    }
}
