import ArgumentParser
import Foundation

/// Where to publish, shared by every subcommand.
struct BrokerOptions: ParsableArguments {
    @Option(name: .long, help: "Broker host.") var host = "127.0.0.1"
    @Option(name: .long, help: "Broker port.") var port = 1883
    @Option(name: .long, help: "MQTT client id (default: a random one).") var clientID: String?
    @Option(name: .long, help: "Broker login name.") var username: String?
    @Option(name: .long, help: "A file whose first line is the broker password (as the daemon's password_file).")
    var passwordFile: String?

    /// The password from `--password-file`, if given.
    func password() throws -> String? {
        guard let passwordFile else { return nil }
        guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
            throw SimulatorError("cannot read the password file \(passwordFile)")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).first.map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
