import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore

/// One frame of `smokegate watch`, as lines of text: made apart from the terminal, so that
/// what fits on a screen of a given size is decided in one place.
struct WatchScreen {
    let configuration: GatewayConfiguration
    let colour: Bool
    let size: (rows: Int, columns: Int)

    func lines(store: Store, now: Date) throws -> [String] {
        var lines = [
            bold(fit("SmokeGate duty desk  \(LocalTime.format(now))  (q to quit)")), health(try store.readStatus(), now: now),
        ]
        // What is left for the table: its header and rows, one of which gives way to the
        // "more" line when not every incident fits. Fetching no more than fits keeps a frame
        // cheap however many incidents are open; the order is the store's, fires first.
        let rowRoom = max(2, size.rows - lines.count - 3)
        let (incidents, counts) = try store.incidentsWithCounts(limit: rowRoom)
        let shown = counts.count() > rowRoom ? Array(incidents.prefix(rowRoom - 1)) : incidents
        let cut = IncidentSummary(counts: counts, shown: shown, kind: nil, includeResolved: false)
        let answered = !shown.isEmpty && counts.count(state: .open, silenced: false) == 0
        lines.append(fit(cut.countsLine + (answered ? " · all answered" : "")))
        lines.append("")
        guard !shown.isEmpty else { return lines }
        var table = TextTable(["", "ID", "KIND", "STATE", "DEVICE", "GRID", "VENUE", "AGE", "TIER", "NEXT", "ACKNOWLEDGED"])
        for incident in shown {
            let isNew = now.timeIntervalSince(incident.openedAt) < Smokegate.Watch.newFor
            table.add([
                isNew ? "NEW" : "", "\(incident.id)", incident.kind.rawValue,
                incident.state.rawValue + (incident.silencedBy == nil ? "" : " (silenced)"), incident.site.deviceID,
                incident.site.gridID ?? "(unregistered)", incident.site.venue.ifEmpty("-"),
                RelativeTime.ago(incident.openedAt, now: now).replacingOccurrences(of: " ago", with: ""),
                incident.tier?.rawValue ?? "-", IncidentOutput.next(incident, now: now), incident.ackedBy ?? "-",
            ])
        }
        let rows = table.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines += rows.map { row in row.hasPrefix("NEW") ? highlight(fit(row)) : fit(row) }
        if let more = cut.moreText {
            let line = fit("… \(more): \(cut.hint)")
            lines.append(cut.hiddenFires > 0 ? highlight(line) : line)
        }
        return lines
    }

    private func health(_ status: GatewayStatus?, now: Date) -> String {
        guard let status else { return highlight(fit("smokegated has never run on \(configuration.databasePath)")) }
        // Judged on the boot clock: a step of the wall clock does not make a dead daemon look alive.
        let boot = BootClock.now()
        guard status.isRunning(now: now, boot: boot, staleAfter: Smokegate.Status.staleAfter) else {
            let seen = status.age(now: now, boot: boot).seconds.map { status.updatedAt.addingTimeInterval($0) } ?? now
            return highlight(fit("smokegated NOT RUNNING: last status \(RelativeTime.ago(status.updatedAt, now: seen))"))
        }
        guard status.connected else { return highlight(fit("smokegated running but NOT connected to \(status.broker)")) }
        return fit(
            "smokegated running, connected to \(status.broker) · \(status.received) received · \(status.rejected) rejected")
    }

    /// `text` cut to the screen's width: a line that wrapped would scroll the header away.
    private func fit(_ text: String) -> String {
        guard TextTable.width(text) > size.columns else { return text }
        var kept = ""
        var width = 0
        for character in text {
            let next = TextTable.width(String(character))
            guard width + next < size.columns else { break }
            kept.append(character)
            width += next
        }
        return kept + "…"
    }

    private func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    private func highlight(_ text: String) -> String { colour ? "\u{1B}[1;31m\(text)\u{1B}[0m" : text }
}
