import ArgumentParser
import Foundation
import SmokeGateCore

/// `make faults`: SmokeGate's promises tried against the faults of a bad day, on a real
/// broker with the real `smokegated`. Every row of the table it prints must say nothing was
/// lost; it exits 1 if one does not.
@main
struct FaultSuite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "FaultSuite",
        abstract:
            "Kills, broker restarts, a locked database, a full disk, a broker outage, wall-clock steps, QoS 0 alarms across a restart, calls the broker refuses, a cluster's leader killed and its database crashing, with nothing lost.",
        discussion: """
            Examples:
              make faults                          the full suite (about six minutes)
              FaultSuite --quick                   the bounded form CI runs
              FaultSuite --only kill --kills 30    one fault, harder
            """)

    @Flag(help: "The bounded form for CI: a 10-second broker outage instead of a minute, fewer alarms.")
    var quick = false

    @Option(help: "Run only these faults (comma-separated): \(Fault.allCases.map(\.rawValue).joined(separator: ", ")).")
    var only: String?

    @Option(help: "How many times the kill fault SIGKILLs the daemon, and the full cluster-kill fault the leader (at least 10).")
    var kills = 12

    @Option(help: "Seed for the kill moments; printed, so a failing run can be repeated.")
    var seed: UInt64?

    func validate() throws {
        guard kills >= 10 else { throw ValidationError("--kills must be at least 10") }
        if let only {
            for name in only.split(separator: ",") where Fault(rawValue: String(name)) == nil {
                throw ValidationError("--only: unknown fault '\(name)'")
            }
        }
    }

    func run() async throws {
        let chosen = only.map { $0.split(separator: ",").compactMap { Fault(rawValue: String($0)) } } ?? Fault.allCases
        let seed = self.seed ?? UInt64(Date().timeIntervalSince1970 * 1_000)
        let settings = FaultSettings(quick: quick, kills: kills, seed: seed)
        say("SmokeGate fault suite: \(chosen.map(\.rawValue).joined(separator: ", ")) (seed \(seed)\(quick ? ", quick" : ""))")
        var rows: [FaultReport] = []
        for fault in chosen {
            say("\n== \(fault.rawValue): \(fault.summary)")
            let started = Date()
            let report: FaultReport
            do {
                report = try await fault.run(settings)
            } catch {
                report = FaultReport(fault: fault, tried: "did not complete", ledger: nil, notes: ["\(error)"], failed: true)
            }
            say(report.detail(after: Date().timeIntervalSince(started)))
            rows.append(report)
        }
        say("\n" + FaultReport.table(rows))
        if rows.contains(where: \.lostSomething) {
            say("\nSOMETHING WAS LOST OR STUCK: see the rows above.")
            throw ExitCode(1)
        }
        say("\nEvery row: nothing lost, nothing stuck, nothing crashed.")
    }
}

/// Prints a line at once, even into a CI log (print is block-buffered there), so a long
/// fault shows where it is.
func say(_ text: String = "") {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
