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
                Redraws in place every second: the clock with its UTC offset, the daemon's health, the
                unresolved incidents counted by kind and state, then the incidents in the order of `smokegate
                alarms`: fires nobody has acknowledged first, newest first, then acknowledged and silenced
                fires, then the maintenance jobs. Each row has its age, the highest tier called and the time
                until the ladder calls the next one; incidents opened in the last minute are marked NEW. When
                the rows do not fit, the last line says how many more there are and how many of them are
                fires: fires are never the rows left out while any other row is shown. Press q (or Ctrl-C) to
                quit; the terminal is restored. Needs a terminal: scripts use `smokegate alarms --json`.

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
