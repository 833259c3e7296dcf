import ArgumentParser

/// `smokegate-sim`: replays detector traffic and generates fleets of detectors.
@main
struct SmokegateSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smokegate-sim",
        abstract: "Simulate smoke detectors: replay scenarios or generate a fleet's traffic.",
        subcommands: [Fleet.self, Replay.self, Record.self])
}

/// Where to publish, shared by every subcommand.
struct BrokerOptions: ParsableArguments {
    @Option(name: .long, help: "Broker host.") var host = "127.0.0.1"
    @Option(name: .long, help: "Broker port.") var port = 1883
    @Option(name: .long, help: "MQTT client id (default: a random one).") var clientID: String?
}
