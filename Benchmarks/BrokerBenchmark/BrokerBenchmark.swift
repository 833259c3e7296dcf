import ArgumentParser
import Foundation
import SmokeGateTestSupport

/// What the shipped broker persistence (`autosave_on_changes true`, `autosave_interval 1` in
/// `config/mosquitto.conf`) costs and what it saves, against the setting it replaced
/// (`autosave_interval 60`), in one run on this machine: QoS 1 alarms published while the
/// gateway's persistent session is away (every one queued), by queue depth already waiting
/// and by publishing connections; the same with the gateway connected; and how many alarms
/// the broker had acknowledged but lost when killed with SIGKILL right after the last PUBACK.
/// Run it from the package root, on a folder on disk (`--folder`, default /var/tmp): on a
/// tmpfs the fsync of each save would be free.
@main
struct BrokerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "BrokerBenchmark", abstract: "The shipped broker persistence against a save once a minute.",
        discussion: "A quick run: BrokerBenchmark --depths 0,10000 --connections 1,20 --messages 500 --crashes 3")

    @Option(help: "Messages already queued for the away gateway before each measurement, comma-separated.")
    var depths = "0,10000,100000"
    @Option(help: "Publishing connections, comma-separated.") var connections = "1,50"
    @Option(help: "QoS 1 alarms per measurement, dealt over the connections.") var messages = 2_000
    @Option(help: "Crashes per setting.") var crashes = 20
    @Option(help: "Where the brokers keep their databases (not a tmpfs).") var folder = "/var/tmp"
    @Flag(help: "Skip measurement 1 (the away session).") var skipAway = false
    @Flag(help: "Skip measurement 2 (the connected session).") var skipConnected = false

    static let old = ["autosave_interval 60"]
    static let payload = Array(#"{"type":"alarm","seq":123456,"battery":87,"rssi":-71,"ts":"2026-05-01T08:00:00Z"}"#.utf8)

    func validate() throws {
        guard messages > 0, crashes >= 0, !list(depths).isEmpty, !list(connections).isEmpty,
            list(connections).allSatisfy({ $0 > 0 })
        else { throw ValidationError("--messages and every connection count must be positive") }
    }

    private func list(_ text: String) -> [Int] { text.split(separator: ",").compactMap { Int($0) } }

    /// A middle way measured beside the two: a save every hundred changes.
    static let hundred = ["autosave_on_changes true", "autosave_interval 100"]

    func run() async throws {
        let shipped = try PersistentBroker.shipped(["autosave_interval", "autosave_on_changes"])
        let settings = [Self.old, shipped, Self.hundred]
        let names = [Self.old[0], "shipped", "every 100 changes"]
        let work = URL(fileURLWithPath: folder).appendingPathComponent("smokegate-brokerbench-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let broker = try PersistentBroker(in: work)
        let rig = SessionRig(broker: broker)
        print("broker persistence: shipped \(shipped.joined(separator: ", ")) against \(Self.old[0]); databases in \(work.path)")
        print(String(format: "a 4 KiB write and fsync in that folder: p50 %.2f ms", try Self.fsyncMilliseconds(in: work)))
        let header = "| \(names[0]) msg/s | \(names[1]) msg/s | over old | \(names[2]) msg/s | over old |"
        let rule = "| --- | --- | --- | --- | --- |"
        func row(_ rates: [Double]) -> String {
            String(
                format: "| %.0f | %.0f | %.3f× | %.0f | %.3f× |", rates[0], rates[1], rates[1] / rates[0], rates[2],
                rates[2] / rates[0])
        }
        if !skipConnected {
            print("")
            print("1. QoS 1 alarms to the gateway connected (nothing queued; each of its PUBACKs is a change)")
            print("")
            print("| connections " + header)
            print("| --- " + rule)
            for count in list(connections) {
                var rates: [Double] = []
                for setting in settings {
                    try broker.erase()
                    try broker.start(setting)
                    let gateway = try await rig.gateway()
                    rates.append(
                        try await Detectors(count: count, port: broker.port, log: { broker.logTail }).publish(
                            messages, payload: Self.payload))
                    withExtendedLifetime(gateway) {}
                    broker.stop()
                }
                print("| \(count) " + row(rates))
            }
        }
        if !skipAway {
            print("")
            print("2. QoS 1 alarms queued for the away gateway session, \(messages) a measurement")
            print("")
            print("| queued before | connections " + header)
            print("| --- | --- " + rule)
            for depth in list(depths) {
                for count in list(connections) {
                    var rates: [Double] = []
                    for setting in settings {
                        try await rig.awaySession(queued: depth)
                        try broker.start(setting)
                        rates.append(
                            try await Detectors(count: count, port: broker.port, log: { broker.logTail }).publish(
                                messages, payload: Self.payload))
                        broker.stop()
                    }
                    print("| \(depth) | \(count) " + row(rates))
                }
            }
        }
        guard crashes > 0 else { return }
        print("")
        print("3. SIGKILL as soon as the last of 100 alarms is acknowledged, \(crashes) times each")
        print("")
        print("| setting | alarms lost per crash |")
        print("| --- | --- |")
        for (name, setting) in zip(names, settings) {
            var lost: [Int] = []
            for _ in 0..<crashes {
                try await rig.awaySession(queued: 0)
                try broker.start(setting)
                _ = try await Detectors(count: 1, port: broker.port).publish(100, payload: Self.payload)
                broker.crash()
                try broker.start(setting)
                lost.append(100 - (try await rig.queuedAfterRestart(expecting: 100)))
                broker.stop()
            }
            print("| \(name) | \(lost.map(String.init).joined(separator: " ")) |")
        }
    }

    /// The median time of a 4 KiB write followed by fsync in `folder`: what each save pays at least.
    static func fsyncMilliseconds(in folder: URL) throws -> Double {
        let path = folder.appendingPathComponent("fsync-probe").path
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw BenchmarkFailure("cannot write in \(folder.path)")
        }
        defer {
            try? file.close()
            try? FileManager.default.removeItem(atPath: path)
        }
        let block = Data(repeating: 0x55, count: 4_096)
        var times: [Double] = []
        for _ in 0..<200 {
            let start = ContinuousClock.now
            try file.write(contentsOf: block)
            try file.synchronize()
            let elapsed = (ContinuousClock.now - start).components
            times.append(Double(elapsed.seconds) * 1_000 + Double(elapsed.attoseconds) / 1e15)
        }
        return times.sorted()[times.count / 2]
    }
}
