import ArgumentParser
import Foundation

/// Issue 19's figures in one run, with the real `smokegated` binaries on a real PostgreSQL
/// server and mosquitto: how long a district goes without calls when its leading gateway dies
/// (kill → the next call, over `--kills` kills), and what PostgreSQL costs against SQLite for
/// one gateway (alarm → grid call latency, alarms committed per second).
@main
struct ClusterBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ClusterBenchmark",
        abstract: "Failover time of two gateways on PostgreSQL, and alarm latency and ingest rate on PostgreSQL against SQLite.",
        discussion: "A quick run: ClusterBenchmark --kills 5 --alarms 50 --burst 300 --rounds 1")

    @Option(help: "Times the leader is SIGKILLed right after a grid call (measurement 1).") var kills = 20
    @Option(help: "The cluster's lease, in whole seconds.") var lease = 2
    @Option(help: "Seconds after the opening the next tier (community) is due in measurement 1.") var nextTierAfter = 1
    @Option(help: "Alarms timed to their grid call per store and round (measurement 2).") var alarms = 200
    @Option(help: "Milliseconds between two timed alarms.") var gapMs = 20
    @Option(help: "Alarms published back to back per store and round, for the ingest rate.") var burst = 2_000
    @Option(help: "Rounds of measurement 2; the order of the stores is reversed every other round.") var rounds = 2
    @Option(help: "Stores compared in measurement 2: sqlite, postgres, cluster (two nodes on PostgreSQL).")
    var stores = "sqlite,postgres,cluster"
    @Flag(help: "Skip measurement 1 (failover).") var skipFailover = false
    @Flag(help: "Skip measurement 2 (PostgreSQL against SQLite).") var skipStores = false

    func validate() throws {
        guard kills > 0, lease >= 1, nextTierAfter >= 0, alarms > 0, gapMs > 0, burst > 0, rounds > 0 else {
            throw ValidationError("counts must be positive, the lease at least 1 s, --next-tier-after not negative")
        }
        for name in stores.split(separator: ",") where StoreComparison.Variant(rawValue: String(name)) == nil {
            throw ValidationError("--stores: unknown store '\(name)'")
        }
    }

    func run() throws {
        let command = (["ClusterBenchmark"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let date = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withInternetDateTime])
        say("\(command)\n\(date), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        var failover: Failover.Result?
        var comparison: (samples: [StoreComparison.Variant: StoreComparison.Sample], versions: [String])?
        let variants = stores.split(separator: ",").compactMap { StoreComparison.Variant(rawValue: String($0)) }
        if !skipFailover {
            say(
                "\n1. failover: two gateways on PostgreSQL (fsync on), lease \(lease) s; \(kills) fires, the leader SIGKILLed "
                    + "right after each grid call; community due \(nextTierAfter) s after the opening")
            failover = try Failover(kills: kills, lease: TimeInterval(lease), nextTierAfter: nextTierAfter).run(progress: say)
        }
        if !skipStores {
            say(
                "\n2. PostgreSQL against SQLite: \(alarms) alarms \(gapMs) ms apart from distinct detectors, each to its grid call; "
                    + "then \(burst) alarms back to back, committed per second; \(rounds) round(s) of "
                    + variants.map(\.title).joined(separator: ", "))
            comparison = try StoreComparison(
                variants: variants, alarms: alarms, gapMilliseconds: gapMs, burst: burst, rounds: rounds,
                lease: TimeInterval(lease)
            ).run(progress: say)
        }
        let report = ClusterReport(
            command: command, date: date, lease: lease, nextTierAfter: nextTierAfter, failover: failover,
            stores: comparison.map { ($0.samples, variants, $0.versions) }, burst: burst)
        say("\n" + report.text)
        if !report.complete { throw ExitCode.failure }
    }
}

/// Prints a line at once, even into a pipe.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
