import Foundation
import SmokeGateTestSupport

/// The first start on a new database. A large registry is written into the `device` table
/// after READY, in parts, by the daemon's registry mirror; alarms sent from READY until it
/// has finished show what that costs the alarm path, against the same alarms on a daemon
/// with nothing to write (the baseline registry is written before READY).
struct FirstStart {
    var ready = 0.0
    var peak = 0.0
    /// From READY until the daemon said the registry was written; 0 if it was before READY.
    var mirrored = 0.0
    /// Alarm sent to the grid worker's call received, in seconds.
    var alarmLatencies: [Double] = []

    static let alarmEvery: Duration = .milliseconds(250)
    static let fewestAlarms = 8
    static let mostAlarms = 200
    static let mirroredLine = "registry written into the database"

    /// Starts the daemon on a fresh database and leaves it running for the caller to stop.
    /// `mirrors`: the registry is large enough that the daemon writes it after READY (over
    /// 50,000 rows).
    static func measure(_ config: URL, broker: MosquittoBroker, mirrors: Bool) async throws -> (FirstStart, BinaryProcess) {
        let responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"])
        let publisher = try await TestPublisher.connect(port: broker.port)
        let started = try await Scale.start(config)
        let readyAt = Date()
        var first = FirstStart(ready: started.ready, peak: started.memory.peak)
        var sent: [String: Date] = [:]
        var writing = mirrors
        while sent.count < mostAlarms, writing || sent.count < fewestAlarms {
            // Detectors four apart: the simulator's venues hold four, and each alarm must open
            // an incident of its own to call a grid worker.
            let device = String(format: "SIM-%06d", 1 + sent.count * 4)
            sent[device] = Date()
            try await publisher.publish("smokegate/detectors/\(device)/event", #"{"type":"alarm","seq":1}"#)
            try await Task.sleep(for: alarmEvery)
            if writing, started.process.standardError.contains(mirroredLine) {
                writing = false
                first.mirrored = Date().timeIntervalSince(readyAt)
            }
        }
        guard !writing else { throw TestSupportError("the registry was not written within \(mostAlarms) alarms") }
        _ = await eventually(timeout: 30) { Self.gridCalls(responders).count >= sent.count }
        let calls = Self.gridCalls(responders)
        first.alarmLatencies = sent.compactMap { device, at in calls[device].map { $0.timeIntervalSince(at) } }.sorted()
        first.peak = ProcessMemory.of(started.process.pid).peak
        guard first.alarmLatencies.count == sent.count else {
            throw TestSupportError(
                "\(sent.count - first.alarmLatencies.count) of \(sent.count) alarms never reached a grid worker")
        }
        return (first, started.process)
    }

    /// When each device's first grid call arrived.
    private static func gridCalls(_ responders: TestSubscriber) -> [String: Date] {
        var calls: [String: Date] = [:]
        for message in responders.received where message.field("action") == "notify" && message.field("tier") == "grid" {
            if let device = message.field("device"), calls[device] == nil { calls[device] = message.arrivedAt }
        }
        return calls
    }

    /// The latency at quantile `q` (0...1), in milliseconds.
    func milliseconds(at q: Double) -> Double {
        guard !alarmLatencies.isEmpty else { return 0 }
        return 1_000 * alarmLatencies[min(alarmLatencies.count - 1, Int((Double(alarmLatencies.count - 1) * q).rounded()))]
    }
}
