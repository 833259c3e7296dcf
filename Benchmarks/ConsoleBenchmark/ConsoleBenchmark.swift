import ArgumentParser
import Foundation
import GRDB
import SmokeGateConfig
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// How fast the duty officer's console answers on a database with a long history: the
/// built `smokegate alarms` timed from launch to exit, against `smokegate status` on the same
/// database in the same run (process start, configuration and database opening included in
/// both), so the ratio shows what the incident query itself costs on a noisy machine. Beside
/// the open fires, a thousand and more low-battery jobs stay open, as they do on a street: the
/// list must still put the fires first and count what it cuts.
@main
struct ConsoleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ConsoleBenchmark", abstract: "smokegate alarms on a database of many incidents, against smokegate status.")

    @Option(help: "Incidents in the database.") var incidents = 100_000
    @Option(help: "Of those, how many fires are still open.") var open = 200
    @Option(help: "Of those, how many low-battery jobs are still open (older than the open fires; the rest resolved).")
    var maintenance = 1_005
    @Option(help: "Runs of each command timed.") var runs = 20
    @Flag(help: "Keep the configuration and database afterwards (their folder is printed), for a closer look.")
    var keep = false

    func validate() throws {
        guard incidents > 0, open >= 0, maintenance >= 0, open + maintenance <= incidents, runs > 0 else {
            throw ValidationError(
                "--incidents and --runs must be positive, --open and --maintenance together at most --incidents")
        }
    }

    func run() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        defer { if !keep { try? FileManager.default.removeItem(at: files.folder) } }
        if keep { print("configuration and database in \(files.folder.path)") }
        let configuration = try GatewayConfiguration.load(from: files.mainFile.path)
        let setup = ContinuousClock().measure { try? fill(configuration) }
        print(
            "database: \(incidents) incidents, \(open) open fires and \(maintenance) open low-battery jobs; written in "
                + "\(String(format: "%.1f", setup.secondsValue)) s")
        let config = ["--config", files.mainFile.path]
        let commands: [(name: String, arguments: [String])] = [
            ("status --json (baseline)", ["status", "--json"]), ("alarms", ["alarms"]), ("alarms --json", ["alarms", "--json"]),
            ("alarms --kind fire", ["alarms", "--kind", "fire"]), ("alarms --all (first 1,000)", ["alarms", "--all"]),
            ("show 1 --json", ["show", "1", "--json"]),
        ]
        var medians: [String: Double] = [:]
        print("")
        print("| command | runs | p50 ms | p90 ms | max ms | p50 over baseline |")
        print("| --- | --- | --- | --- | --- | --- |")
        for command in commands {
            var times: [Double] = []
            for _ in 0..<runs {
                times.append(try await milliseconds(command.arguments + config))
            }
            times.sort()
            let median = times[times.count / 2]
            medians[command.name] = median
            let baseline = medians["status --json (baseline)"] ?? median
            print(
                String(
                    format: "| smokegate %@ | %d | %.1f | %.1f | %.1f | %.2f× |", command.name, runs, median,
                    times[Int(Double(times.count - 1) * 0.9)], times.last!, median / baseline))
        }
    }

    /// Runs `smokegate` once and returns the milliseconds from launch to exit. The exit is
    /// waited for (`waitid` without reaping), not polled: the test harness looks every 20 ms,
    /// which rounded every figure up to its next step.
    private func milliseconds(_ arguments: [String]) async throws -> Double {
        let start = ContinuousClock.now
        let process = try BinaryProcess("smokegate", arguments)
        var info = siginfo_t()
        _ = waitid(P_PID, id_t(process.pid), &info, WEXITED | WNOWAIT)
        let elapsed = (ContinuousClock.now - start).secondsValue * 1_000
        guard await process.waitForExit(timeout: 10) == 0 else {
            throw ValidationError("smokegate \(arguments.joined(separator: " ")) failed: \(process.standardError)")
        }
        return elapsed
    }

    /// Writes the history: alarms from distinct detectors, a thousand per transaction; then the
    /// oldest `maintenance` incidents become open low-battery jobs, the next `open` stay open
    /// fires, and the rest are marked resolved, each in one statement.
    private func fill(_ configuration: GatewayConfiguration) throws {
        let store = try Store(path: configuration.databasePath)
        try store.syncRegistry(configuration.devices)
        let desk = configuration.incidentDesk
        let start = Date().addingTimeInterval(-Double(incidents) * 60)
        var written = 0
        while written < incidents {
            let batch = (written..<min(written + 1_000, incidents)).map { index in
                let device = String(format: "D-%07d", index)
                return IncomingEvent(
                    event: DetectorEvent(deviceID: device, kind: .alarm, format: .native, identity: .stamped("1")),
                    topic: "smokegate/detectors/\(device)/event", payload: #"{"type":"alarm"}"#,
                    receivedAt: start.addingTimeInterval(Double(index) * 60))
            }
            let state = DeviceLiveState(
                deviceID: "D-0000000", format: .native, lastSeenAt: start, reading: DeviceReading(), condition: [])
            try store.commit(batch, state: state, desk: desk)
            written += batch.count
        }
        try store.write(
            GatewayStatus(
                pid: 1, clientID: "bench", broker: "127.0.0.1:1883", startedAt: Date(), updatedAt: Date(), connected: true,
                received: incidents, rejected: 0, heartbeats: 0, events: incidents, duplicates: 0, byFormat: [:], byReason: [:]))
        let queue = try DatabaseQueue(path: configuration.databasePath)
        try queue.write { db in
            try db.execute(
                sql: """
                    UPDATE incident SET state = 'resolved', next_deadline_at = NULL, resolved_by = 'bench', resolved_at = opened_at + 600,
                      cause = 'false_alarm' WHERE id > ?
                    """,
                arguments: [open + maintenance])
            try db.execute(
                sql: "UPDATE incident SET kind = 'low_battery', next_deadline_at = NULL WHERE id <= ?", arguments: [maintenance])
        }
    }
}
