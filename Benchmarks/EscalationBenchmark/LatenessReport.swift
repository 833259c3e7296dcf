import Foundation
import SmokeGateTestSupport

/// Prints what measurement 2 found and returns its rows of the summary table. Kept apart from
/// the measurement so that the figures are computed from the samples in one place only.
struct LatenessReport {
    let result: DeadlineLateness.Result
    let incidents: Int
    let communityAfter: Int
    /// Every call within this of its due time.
    static let targetMilliseconds = 1_000.0

    func print() -> [String] {
        let lateness = Distribution(result.lateness)
        let scheduler = Distribution(result.schedulerLateness)
        let dispatch = Distribution(result.dispatch)
        let openedInTime = result.openingSpan < Double(communityAfter)
        let met = result.communityCalls == incidents && lateness.max <= Self.targetMilliseconds
        Swift.print(
            String(
                format: "   opened %d of %d incidents: last grid call %.1f s after the first alarm; "
                    + "opened_at spans %.1f s (%.0f incidents/s)",
                result.gridCalls, incidents, result.openingSeconds, result.openingSpan, result.openingRate))
        let inTime = openedInTime ? "yes" : "NO, raise --community-after"
        Swift.print("   every incident open before the first community deadline (+\(communityAfter) s): \(inTime)")
        let gridDispatch = Distribution(result.gridDispatch)
        Swift.print("   grid calls while they open, received − `at`:  \(gridDispatch.summary)")
        Swift.print("   community calls received: \(result.communityCalls) of \(incidents)")
        let gaps = Distribution(result.repeatGaps)
        let gapText =
            gaps.count == 0
            ? ""
            : String(format: ", %.1f / %.1f / %.1f s (min / median / max) after the first copy", gaps.min, gaps.p50, gaps.max)
        Swift.print(
            "   calls received again for a detector already called at that tier: \(result.repeatedCalls) "
                + "(\(result.repeatedGridCalls) grid, \(result.repeatedCalls - result.repeatedGridCalls) community; "
                + "\(result.repeatedIDs) with a notification id already received\(gapText))")
        Swift.print("   lateness, received − (opened_at + \(communityAfter) s):  \(lateness.summary)")
        Swift.print(String(format: "     earliest: %.1f ms (negative: early)", lateness.min))
        Swift.print("     scheduler's share, `at` − due:       \(scheduler.summary)")
        Swift.print("     dispatch's share, received − `at`:   \(dispatch.summary)")
        let verdict = met ? "met" : "NOT met"
        Swift.print(String(format: "   target: every call within %.0f ms: %@", Self.targetMilliseconds, verdict))
        return [
            "| community call lateness, \(incidents) open incidents | \(lateness.count) | \(lateness.cells) | "
                + "max ≤ \(Int(Self.targetMilliseconds)): \(met ? "met" : "NOT met") |",
            "| … scheduler: call written − due | \(scheduler.count) | \(scheduler.cells) | |",
            "| … dispatch: call received − written | \(dispatch.count) | \(dispatch.cells) | |",
            "| grid calls while \(incidents) incidents open: received − written | \(gridDispatch.count) | "
                + "\(gridDispatch.cells) | |",
        ]
    }
}
