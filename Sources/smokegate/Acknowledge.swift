import ArgumentParser
import Foundation
import SmokeGateCore
import SmokeGateStore

extension Smokegate {
    /// `smokegate ack ID --by NAME`: someone has taken the incident; the ladder stops.
    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack",
            abstract: "Acknowledge an open incident: the ladder stops, and every tier called is told.",
            discussion: """
                Of two operators acknowledging at once, exactly one succeeds; the other is told who
                acknowledged and when. The name given with --by and the operating-system account that ran
                the command are both kept on the timeline.

                Examples:
                  smokegate ack 42 --by 王伟
                  smokegate ack 42 --by "涌泉街道值班 李" --note "网格员已到场"
                """)

        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The incident's id (smokegate alarms lists them).") var id: Int64
        @Option(name: .long, help: "Who is acknowledging (a name responders know).") var by: String
        @Option(name: .long, help: "A note for the timeline.") var note: String?

        func validate() throws {
            guard !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--by needs a name") }
        }

        func run() async throws {
            try reportingFailures {
                let configuration = try options.loadConfiguration()
                let store = try options.openStoreForWriting(configuration)
                let incident = try IncidentOperation.run(id) {
                    try store.acknowledge(
                        id, by: by, note: note, at: Date(), desk: configuration.incidentDesk, osUser: OperatingSystemUser.current,
                        channel: "cli")
                }
                let told = incident.calledInOrder.map(\.rawValue).joined(separator: ", ")
                print(
                    "incident \(id) acknowledged by \(by); the ladder has stopped; told: \(told.ifEmpty("nobody was called yet"))"
                )
            }
        }
    }
}

/// Runs an operator's change to an incident, turning refusals into messages to act on.
enum IncidentOperation {
    static func run<Outcome>(_ id: Int64, _ body: () throws -> Outcome) throws -> Outcome {
        do {
            return try body()
        } catch let refusal as IncidentRefusal where refusal.reason == .noSuchIncident {
            throw ConsoleFailure("no incident \(id) (smokegate alarms --all lists them)")
        } catch let refusal as IncidentRefusal {
            throw ConsoleFailure(refusal.description)
        } catch {
            throw ConsoleFailure("cannot change incident \(id): \(error) (the daemon may hold the database; try again)")
        }
    }
}
