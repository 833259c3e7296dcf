import ArgumentParser
import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore

extension Smokegate {
    /// `smokegate watch`: the duty desk's live view.
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A live view for the duty desk: open incidents, the next call, the daemon's health.",
            discussion: """
                Redraws in place every second: the daemon's health on one line, then every open incident with
                its age, the highest tier called and the time until the ladder calls the next one. Incidents
                opened in the last minute are marked NEW. Press q (or Ctrl-C) to quit; the terminal is
                restored. Needs a terminal: scripts use `smokegate alarms --json`.

                Examples:
                  smokegate watch
                  smokegate watch --interval 500ms
                """)

        @OptionGroup var options: ConsoleOptions
        @Option(name: .long, help: "How often to redraw: 500ms, 1s, 5s.") var interval = "1s"

        /// How long an incident is marked NEW after it opened.
        static let newFor: TimeInterval = 60

        func validate() throws {
            guard let every = DurationText.parse(interval), every >= .milliseconds(100), every <= .seconds(60) else {
                throw ValidationError("--interval must be a duration from 100ms to 60s, got '\(interval)'")
            }
        }

        func run() async throws {
            try reportingFailures {
                guard Terminal.isInteractive else {
                    throw ConsoleFailure("watch needs a terminal; for scripts use `smokegate alarms --json`")
                }
                let configuration = try options.loadConfiguration()
                let store = try options.openStore(configuration)
                let every = DurationText.parse(interval) ?? .seconds(1)
                let colour = ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
                Terminal.enterFullScreen()
                defer { Terminal.leaveFullScreen() }
                while true {
                    let screen = WatchScreen(configuration: configuration, colour: colour, size: Terminal.size)
                    Terminal.draw((try? screen.lines(store: store, now: Date())) ?? ["smokegate watch: cannot read the database"])
                    let keys = Terminal.readKeys(timeout: every)
                    // q, Q, Ctrl-C, Ctrl-D, or the end of input.
                    if keys.contains(where: { [0x71, 0x51, 0x03, 0x04].contains($0) }) { return }
                }
            }
        }
    }
}

/// One frame of `smokegate watch`, as lines of text.
struct WatchScreen {
    let configuration: GatewayConfiguration
    let colour: Bool
    let size: (rows: Int, columns: Int)

    func lines(store: Store, now: Date) throws -> [String] {
        let incidents = try store.incidents()
        let waiting = incidents.filter { $0.state == .open }.count
        var lines = [
            bold("SmokeGate duty desk") + "  \(LocalTime.format(now))  (q to quit)",
            health(try store.readStatus(), now: now),
            "\(incidents.count) open incident(s), \(waiting) not acknowledged" + (waiting > 0 ? "" : ": all answered"),
            "",
        ]
        var table = TextTable(["", "ID", "KIND", "STATE", "DEVICE", "GRID", "VENUE", "AGE", "TIER", "NEXT", "ACKNOWLEDGED"])
        for incident in incidents {
            let isNew = now.timeIntervalSince(incident.openedAt) < Smokegate.Watch.newFor
            table.add([
                isNew ? "NEW" : "", "\(incident.id)", incident.kind.rawValue,
                incident.state.rawValue + (incident.shieldedBy == nil ? "" : " (shielded)"), incident.site.deviceID,
                incident.site.gridID ?? "(unregistered)", incident.site.venue.ifEmpty("-"),
                RelativeTime.ago(incident.openedAt, now: now).replacingOccurrences(of: " ago", with: ""),
                incident.tier?.rawValue ?? "-", IncidentOutput.next(incident, now: now), incident.ackedBy ?? "-",
            ])
        }
        let rows = table.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let room = max(1, size.rows - lines.count - 1)
        lines += rows.prefix(room).map { row in row.hasPrefix("NEW") ? highlight(row) : row }
        if rows.count > room { lines.append("… \(rows.count - room) more (smokegate alarms lists them all)") }
        return lines
    }

    private func health(_ status: GatewayStatus?, now: Date) -> String {
        guard let status else { return highlight("smokegated has never run on \(configuration.databasePath)") }
        // Judged on the boot clock: a step of the wall clock does not make a dead daemon look alive.
        let boot = BootClock.now()
        guard status.isRunning(now: now, boot: boot, staleAfter: Smokegate.Status.staleAfter) else {
            let seen = status.age(now: now, boot: boot).seconds.map { status.updatedAt.addingTimeInterval($0) } ?? now
            return highlight("smokegated NOT RUNNING: last status \(RelativeTime.ago(status.updatedAt, now: seen))")
        }
        guard status.connected else { return highlight("smokegated running but NOT connected to \(status.broker)") }
        return "smokegated running, connected to \(status.broker) · \(status.received) received · \(status.rejected) rejected"
    }

    private func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    private func highlight(_ text: String) -> String { colour ? "\u{1B}[1;31m\(text)\u{1B}[0m" : text }
}
