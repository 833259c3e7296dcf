import Foundation
import SmokeGateTestSupport

/// Drives the traffic: the heartbeat fleet as a separate `smokegate-sim`, alarms and echo
/// probes from here, and the operators' acknowledgements and resolutions through the CLI.
struct SoakRun {
    let plan: SoakPlan
    let rig: SoakRig

    func run() async throws -> SoakOutcome {
        var outcome = SoakOutcome()
        let fleet = try BinaryProcess(
            "smokegate-sim",
            [
                "fleet", "--port", "\(rig.broker.port)", "--devices", "\(plan.detectors)", "--heartbeat",
                "\(Int(plan.heartbeat.rounded()))s", "--duration", "\(Int(plan.seconds))s", "--qos", "0",
            ])
        let started = Date()
        var nextAlarm = started.addingTimeInterval(plan.alarmEvery)
        var nextSample = started
        var nextProgress = started.addingTimeInterval(60)
        var echoSent: [Int: Date] = [:]
        var seen = 0
        while Date().timeIntervalSince(started) < plan.seconds {
            let now = Date()
            if now >= nextSample {
                let metrics = HTTPProbe.get("/metrics", port: rig.httpPort)?.body ?? ""
                let sqlite = Self.sum("smokegate_sqlite_memory_bytes", in: metrics) / 1_048_576
                outcome.memory.append((now.timeIntervalSince(started), ProcessMemory.of(rig.daemon.pid).rss, sqlite))
                nextSample = nextSample.addingTimeInterval(plan.sampleEvery)
            }
            if now >= nextAlarm {
                let index = outcome.alarms.count
                let device = String(format: "SIM-%06d", 1 + (index * plan.alarmStride) % plan.detectors)
                echoSent[index] = Date()
                try await rig.publisher.publish("soak/echo/\(index)", "\(index)")
                outcome.alarms.append(.init(device: device, sentAt: Date(), acknowledges: index % 2 == 0, incident: nil))
                try await rig.publisher.publish("smokegate/detectors/\(device)/event", #"{"type":"alarm","seq":1}"#)
                nextAlarm = nextAlarm.addingTimeInterval(plan.alarmEvery)
            }
            seen = absorbArrivals(into: &outcome, from: seen, echoSent: echoSent)
            try await operate(&outcome, now: Date())
            if now >= nextProgress {
                let last = outcome.memory.last?.rss ?? 0
                print(
                    String(
                        format: "  %3.0f min: %d alarms sent, %d calls received, %.0f MiB resident",
                        now.timeIntervalSince(started) / 60,
                        outcome.alarms.count, outcome.alarms.reduce(0) { $0 + $1.called.count }, last))
                nextProgress = nextProgress.addingTimeInterval(60)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard await fleet.waitForExit(timeout: 60) == 0 else {
            throw TestSupportError("the fleet failed: \(fleet.standardError)")
        }
        _ = absorbArrivals(into: &outcome, from: seen, echoSent: echoSent)
        outcome.metrics = HTTPProbe.get("/metrics", port: rig.httpPort)?.body ?? ""
        outcome.heartbeatsReceived = Self.counter("smokegate_heartbeats_total", in: outcome.metrics)
        outcome.peakMemory = ProcessMemory.of(rig.daemon.pid).peak
        outcome.daemonExit = await rig.daemon.stop()
        outcome.databaseSize = rig.databaseSize
        return outcome
    }

    /// Matches newly arrived messages to their alarm (by device) or echo probe (by number).
    private func absorbArrivals(into outcome: inout SoakOutcome, from seen: Int, echoSent: [Int: Date]) -> Int {
        let received = rig.responders.received
        var byDevice: [String: Int] = [:]
        for (index, alarm) in outcome.alarms.enumerated() { byDevice[alarm.device] = index }
        for message in received.dropFirst(seen) {
            if message.topic.hasPrefix("soak/echo/"), let index = Int(message.topic.dropFirst("soak/echo/".count)),
                let sent = echoSent[index]
            {
                outcome.echoes.append(message.arrivedAt.timeIntervalSince(sent))
                continue
            }
            guard message.field("action") == "notify", let device = message.field("device"), let index = byDevice[device],
                let tier = message.field("tier")
            else { continue }
            outcome.alarms[index].incident = outcome.alarms[index].incident ?? message.field("incident").flatMap { Int($0) }
            if outcome.alarms[index].openedAt == nil, let opened = message.field("opened_at") {
                outcome.alarms[index].openedAt = Self.timestamp.date(from: opened)
            }
            if outcome.alarms[index].called[tier] == nil { outcome.alarms[index].called[tier] = message.arrivedAt }
        }
        return received.count
    }

    /// The operators: half the incidents acknowledged before the community is called, every
    /// incident resolved once the station has been.
    private func operate(_ outcome: inout SoakOutcome, now: Date) async throws {
        for index in outcome.alarms.indices {
            let alarm = outcome.alarms[index]
            guard let incident = alarm.incident, let grid = alarm.called["grid"], !alarm.resolved else { continue }
            let age = now.timeIntervalSince(grid)
            if alarm.acknowledges, !alarm.acknowledged, age >= plan.acknowledgeAfter {
                let status = try await rig.console(["ack", "\(incident)", "--by", "soak-duty"])
                if status != 0 { outcome.consoleFailures += 1 }
                outcome.alarms[index].acknowledged = true
            }
            if age >= plan.resolveAfter {
                let status = try await rig.console(["resolve", "\(incident)", "--by", "soak-duty", "--cause", "test"])
                if status != 0 { outcome.consoleFailures += 1 }
                outcome.alarms[index].resolved = true
            }
        }
    }

    nonisolated(unsafe) static let timestamp: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    /// A counter's value from Prometheus text (the sum over its labels).
    static func counter(_ name: String, in metrics: String) -> Int {
        Int(sum(name, in: metrics))
    }

    static func sum(_ name: String, in metrics: String) -> Double {
        metrics.split(separator: "\n").filter { $0.hasPrefix(name + " ") || $0.hasPrefix(name + "{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }
}
