import ArgumentParser
import Foundation
import SmokeGateCore
import SmokeGateStore

extension Smokegate {
    /// `smokegate resolve ID --by NAME --cause CAUSE`: the incident is over.
    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve an incident with its cause; every tier called is told.",
            discussion: """
                An open incident can be resolved without an acknowledgement (a false alarm seen on camera).
                Use one of these causes where it fits, so that reports can count them:
                  false_alarm, cooking, test, real_fire, device_fault

                Examples:
                  smokegate resolve 42 --by 王伟 --cause cooking
                  smokegate resolve 42 --by 王伟 --cause real_fire --note "119 到场扑灭，无人员伤亡"
                """)

        static let causes = ["false_alarm", "cooking", "test", "real_fire", "device_fault"]

        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The incident's id (smokegate alarms lists them).") var id: Int64
        @Option(name: .long, help: "Who is resolving.") var by: String
        @Option(name: .long, help: "Why it happened: \(causes.joined(separator: ", ")), or your own words.") var cause: String
        @Option(name: .long, help: "A note for the timeline.") var note: String?

        func validate() throws {
            guard !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--by needs a name") }
            guard !cause.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--cause needs a cause, e.g. one of \(Self.causes.joined(separator: ", "))")
            }
        }

        func run() async throws {
            try reportingFailures {
                let configuration = try options.loadConfiguration()
                let store = try options.openStoreForWriting(configuration)
                let resolution = try IncidentOperation.run(id) {
                    try store.resolve(
                        id, by: by, cause: cause, note: note, at: Date(), desk: configuration.incidentDesk,
                        osUser: OperatingSystemUser.current, channel: "cli")
                }
                let told = resolution.resolved.calledInOrder.map(\.rawValue).joined(separator: ", ")
                print("incident \(id) resolved by \(by): \(cause); told: \(told.ifEmpty("nobody was called"))")
                for fire in resolution.relatched {
                    let devices = fire.members.joined(separator: ", ")
                    let called = fire.calledInOrder.map(\.rawValue).joined(separator: ", ")
                    print(
                        "RE-LATCHED: \(devices) still senses smoke: fire incident \(fire.id) opened at once; "
                            + (fire.isSilenced ? "a silence covers it, nobody called" : "called: \(called)"))
                }
                if !resolution.relatched.isEmpty {
                    print(
                        "a detector still in alarm cannot be reset; if it is faulty, silence it first: "
                            + "smokegate silence add --device ID --for 4h --reason … --by …")
                }
            }
        }
    }
}
