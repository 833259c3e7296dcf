import ArgumentParser

/// `smokegate-sim`: replays detector traffic and generates fleets of detectors.
@main
struct SmokegateSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smokegate-sim",
        abstract: "Simulate smoke detectors: replay scenarios or generate a fleet's traffic.",
        subcommands: [Fleet.self, Replay.self, Record.self])
}
