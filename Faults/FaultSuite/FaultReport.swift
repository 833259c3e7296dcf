import Foundation

/// One row of the suite's table: what was tried, the ledger, and anything else observed.
struct FaultReport: Sendable {
    let fault: Fault
    let tried: String
    let ledger: AlarmLedger?
    /// Observations: what the daemon said, what /healthz and the watchdog did.
    var notes: [String] = []
    /// A check other than the ledger failed (a missing log line, a watchdog never pinged…).
    var failed = false

    var lostSomething: Bool { failed || ledger?.lostSomething ?? true }

    func detail(after seconds: TimeInterval) -> String {
        var lines = ["  tried: \(tried)"]
        if let ledger {
            lines.append(
                "  alarms: \(ledger.sent.count) sent, \(ledger.stored) stored, \(ledger.incidents) incidents, "
                    + "\(ledger.callsRedelivered) calls redelivered under the same id")
            lines += ledger.problems.map { "  PROBLEM \($0)" }
        }
        lines += notes.map { "  \($0)" }
        lines.append(String(format: "  %@ in %.0f s", lostSomething ? "FAILED" : "survived", seconds))
        return lines.joined(separator: "\n")
    }

    /// The summary table, one row per fault.
    static func table(_ rows: [FaultReport]) -> String {
        var lines = [
            "| fault | what was tried | alarms sent | stored once | incidents | each tier called once | calls received | verdict |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in rows {
            guard let ledger = row.ledger else {
                lines.append("| \(row.fault.rawValue) | \(row.tried) | - | - | - | - | - | FAILED |")
                continue
            }
            let once = ledger.lost.isEmpty && ledger.doubled == 0 ? "all" : "\(ledger.lost.count) lost, \(ledger.doubled) doubled"
            let tiers = ledger.tierProblems.isEmpty ? "yes" : "\(ledger.tierProblems.count) wrong"
            let calls = ledger.callsMissing.isEmpty ? "all" : "\(ledger.callsMissing.count) missing"
            let verdict = row.lostSomething ? "**LOST/STUCK**" : "nothing lost"
            lines.append(
                "| \(row.fault.rawValue) | \(row.tried) | \(ledger.sent.count) | \(once) | \(ledger.incidents) | \(tiers) | \(calls) | \(verdict) |"
            )
        }
        return lines.joined(separator: "\n")
    }
}
