import ArgumentParser
import Foundation
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore

extension Smokegate {
    /// `smokegate silence`: silence a detector or a grid for a while, with a reason.
    struct Silences: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "silence",
            abstract: "CoveringSilence a detector or a whole grid for a while (renovation, maintenance); list and lift silences.",
            discussion: """
                While a silence is in force, the incidents of the detectors it covers are still recorded and
                listed, marked as silenced, but nobody is called. Silences end by themselves.

                Examples:
                  smokegate silence add --device YQ-000123 --for 4h --reason "厨房装修" --by 王伟
                  smokegate silence add --grid yq-c02-g03 --for 2d --reason "线路改造" --by 李娜
                  smokegate silence list
                  smokegate silence lift 3 --by 王伟
                """,
            subcommands: [Add.self, List.self, Lift.self])

        /// `smokegate silence add`.
        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "CoveringSilence a detector or a grid from now for a duration.")

            /// The longest silence: a silence forgotten must not hide a street's fires for long.
            static let longest: Duration = .seconds(30 * 86_400)

            @OptionGroup var options: ConsoleOptions
            @Option(name: .long, help: "The detector to silence.") var device: String?
            @Option(name: .long, help: "The grid to silence: every detector in it.") var grid: String?
            @Option(name: .customLong("for"), help: "How long: 30m, 4h, 2d (at most 30d).") var duration: String
            @Option(name: .long, help: "Why (shown with every incident it covers).") var reason: String
            @Option(name: .long, help: "Who is silencing.") var by: String

            func validate() throws {
                guard (device == nil) != (grid == nil) else { throw ValidationError("name either --device or --grid") }
                guard let length = DurationText.parse(duration), length > .zero, length <= Self.longest else {
                    throw ValidationError(
                        "--for must be a positive duration of at most 30d, such as 30m, 4h or 2d; got '\(duration)'")
                }
                guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw ValidationError("--reason needs a reason")
                }
                guard !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--by needs a name") }
            }

            func run() async throws {
                try reportingFailures {
                    let configuration = try options.loadConfiguration()
                    let target: SmokeGateCore.Silence.Target
                    if let grid {
                        guard configuration.chain.placement(ofGrid: grid) != nil else {
                            throw ConsoleFailure(
                                "no grid '\(grid)' in the response chain (\(configuration.chain.gridCount) grids are listed there)"
                            )
                        }
                        target = .grid(grid)
                    } else {
                        let device = device ?? ""
                        let store = try options.openStore(configuration)
                        let heard = try store.devices().contains { $0.id == device }
                        guard heard || configuration.devices.contains(where: { $0.deviceID == device })
                        else {
                            throw ConsoleFailure(
                                "no detector '\(device)' in the registry or heard by the daemon (smokegate devices lists them)")
                        }
                        target = .device(device)
                    }
                    let store = try options.openStoreForWriting(configuration)
                    let now = Date()
                    let silence = try store.addSilence(
                        target, reason: reason, by: by, osUser: OperatingSystemUser.current, from: now,
                        until: now.addingTimeInterval(DurationText.parse(duration)?.secondsValue ?? 0))
                    print(
                        "\(silence.label): \(target.kind) \(target.id) is silenced; its incidents are recorded, nobody is called")
                }
            }
        }

        /// `smokegate silence list`.
        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List silences in force (with --all, ended and lifted ones too).")

            @OptionGroup var options: ConsoleOptions
            @Flag(name: .long, help: "Ended and lifted silences too.") var all = false
            @Flag(name: .long, help: "Print one JSON array on stdout.") var json = false

            func run() async throws {
                try reportingFailures {
                    let configuration = try options.loadConfiguration()
                    let store = try options.openStore(configuration)
                    let now = Date()
                    let silences = try store.silences(includeEnded: all, at: now)
                    if json {
                        JSONOutput.print(silences.map { Self.object($0, now: now) })
                        return
                    }
                    guard !silences.isEmpty else { return print(all ? "no silences" : "no silences in force") }
                    var table = TextTable(["ID", "TARGET", "REASON", "BY", "FROM", "UNTIL", "STATE"])
                    for silence in silences {
                        table.add([
                            "\(silence.id)", "\(silence.target.kind) \(silence.target.id)", silence.reason,
                            silence.by + (silence.osUser.map { " [\($0)]" } ?? ""), LocalTime.format(silence.startsAt),
                            LocalTime.format(silence.endsAt), Self.state(silence, now: now),
                        ])
                    }
                    print(table.render())
                }
            }

            static func state(_ silence: SmokeGateCore.Silence, now: Date) -> String {
                if let lifted = silence.liftedAt {
                    return "lifted by \(silence.liftedBy ?? "-") \(RelativeTime.ago(lifted, now: now))"
                }
                return silence.isActive(at: now) ? "in force" : "ended"
            }

            static func object(_ silence: SmokeGateCore.Silence, now: Date) -> [String: Any] {
                [
                    "id": silence.id, "target_kind": silence.target.kind, "target": silence.target.id, "reason": silence.reason,
                    "by": silence.by, "os_user": JSONOutput.optional(silence.osUser),
                    "starts_at": RFC3339.format(silence.startsAt),
                    "ends_at": RFC3339.format(silence.endsAt), "lifted_at": JSONOutput.time(silence.liftedAt),
                    "lifted_by": JSONOutput.optional(silence.liftedBy), "active": silence.isActive(at: now),
                ]
            }
        }

        /// `smokegate silence lift`.
        struct Lift: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "End a silence now.")

            @OptionGroup var options: ConsoleOptions
            @Argument(help: "The silence's id (smokegate silence list shows them).") var id: Int64
            @Option(name: .long, help: "Who is lifting it.") var by: String

            func run() async throws {
                try reportingFailures {
                    let configuration = try options.loadConfiguration()
                    let store = try options.openStoreForWriting(configuration)
                    do {
                        let (silence, released) = try store.liftSilence(
                            id, by: by, osUser: OperatingSystemUser.current, at: Date(), desk: configuration.incidentDesk)
                        print("silence \(id) lifted: \(silence.target.kind) \(silence.target.id) is called again")
                        if released.notifications > 0 {
                            print(
                                "what it hid is still true: \(released.notifications) call(s) made now (smokegate alarms lists them)"
                            )
                        }
                    } catch let error as StoreError {
                        throw ConsoleFailure(error.description)
                    }
                }
            }
        }
    }
}
