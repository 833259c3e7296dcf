import ArgumentParser
import Foundation

/// Field rule 7's two costs, in one run: the time the dispatcher's query takes to hand over a
/// fire's call behind a million unsent maintenance calls, against an outbox holding the fire's
/// call alone; and the time one batch of calls takes to be confirmed by the broker, which is
/// what a fire written while a batch is in flight waits for.
@main
struct OutboxBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "OutboxBenchmark",
        abstract: "The fire's call picked from a full outbox, and the broker's batch confirmation time.",
        discussion: "A quick run: OutboxBenchmark --rows 100000 --runs 20 --rounds 5")

    @Option(help: "Unsent maintenance calls in the outbox.") var rows = 1_000_000
    @Option(help: "Times each query is timed.") var runs = 200
    @Option(help: "Rounds of batches sent to each broker.") var rounds = 20
    @Option(help: "Batch sizes timed, comma-separated.") var sizes = "1,20,50,200"
    @Flag(help: "Skip the broker measurement.") var skipBroker = false

    func validate() throws {
        guard rows > 0, runs > 0, rounds > 0 else { throw ValidationError("--rows, --runs and --rounds must be positive") }
        guard !batchSizes.isEmpty, batchSizes.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--sizes must list positive batch sizes, such as 1,20,200")
        }
    }

    private var batchSizes: [Int] { sizes.split(separator: ",").compactMap { Int($0) } }

    func run() async throws {
        print("1. the dispatcher's query for the next batch (200), the fire's call first")
        let pick = try OutboxPick(rows: rows, runs: runs).run()
        let baseline = Distribution(pick[0].times).p50
        print("")
        print("| outbox | p50 ms | p99 ms | max ms | p50 over baseline |")
        print("| --- | --- | --- | --- | --- |")
        for line in pick {
            let times = Distribution(line.times)
            print(
                String(
                    format: "| %@ | %.3f | %.3f | %.3f | %.1f× |", line.scenario, times.p50, times.p99, times.max,
                    times.p50 / baseline))
        }
        guard !skipBroker else { return }
        print("")
        print("2. a batch of calls published and confirmed by a loopback broker")
        let batches = try await BatchConfirmation(rounds: rounds, sizes: batchSizes).run()
        print("")
        print("| broker | batch | p50 ms | p99 ms | max ms | p50 over one call |")
        print("| --- | --- | --- | --- | --- | --- |")
        for line in batches {
            let times = Distribution(line.times)
            let one = Distribution(batches.first { $0.broker == line.broker && $0.size == batchSizes[0] }?.times ?? []).p50
            print(
                String(
                    format: "| %@ | %d | %.1f | %.1f | %.1f | %.1f× |", line.broker, line.size, times.p50, times.p99, times.max,
                    times.p50 / one))
        }
    }
}
