import Foundation
import SmokeGateTestSupport

/// One registry size: write it, start the daemon twice (fresh, with alarms until the registry
/// is written, then restart), and optionally run a heartbeat fleet against the restarted daemon.
struct Scale {
    var fresh = FirstStart()
    var restartReady = 0.0
    var restartRSS = 0.0
    var restartPeak = 0.0
    var afterFleet: (rss: Double, peak: Double, received: Int)?
    /// A restart once the fleet has been heard: every detector's live state is read back.
    var heardRestart: (ready: Double, rss: Double, peak: Double)?

    static func measure(detectors: Int, broker: MosquittoBroker, fleetRate: Int, fleetSeconds: Int) async throws -> Scale {
        let folder = try TemporaryFolder.make(prefix: "scale-\(detectors)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try await BinaryProcess.run(
            "smokegate-sim", ["fleet", "--devices", "\(detectors)", "--write-registry", folder.path], timeout: 600)
        guard written.status == 0 else { throw TestSupportError("fleet --write-registry failed: \(written.stderr)") }
        let config = folder.appendingPathComponent("smokegate.yaml")
        try """
        broker: { host: 127.0.0.1, port: \(broker.port), client_id: scale-\(detectors) }
        database: smokegate.db
        sources:
          - { topic: "smokegate/detectors/+/event", format: native }
          - { topic: "zigbee2mqtt/+", format: zigbee2mqtt }
          - { topic: "ctwing/smoke/+", format: ctwing }
        registry: { chain: response-chain.yaml, devices: devices.csv }
        supervision:
          default: { heartbeat: 1m, offline_after: 5m }
          nbiot: { heartbeat: 24h, offline_after: 25h }

        """.write(to: config, atomically: true, encoding: .utf8)
        var scale = Scale()
        print("\n\(detectors) detectors:")
        let (fresh, first) = try await FirstStart.measure(config, broker: broker, mirrors: detectors > 50_000)
        scale.fresh = fresh
        let writtenAt = fresh.mirrored > 0 ? String(format: "%.1f s after READY", fresh.mirrored) : "before READY"
        print(
            String(format: "  fresh database: READY after %.2f s, registry written ", fresh.ready) + writtenAt
                + String(
                    format: ", peak %.0f MiB; %d alarms meanwhile reached their grid worker in %.1f ms (p50), %.1f ms (max)",
                    fresh.peak, fresh.alarmLatencies.count, fresh.milliseconds(at: 0.5), fresh.milliseconds(at: 1)))
        guard await first.stop() == 0 else { throw TestSupportError("smokegated did not stop cleanly") }
        let again = try await start(config)
        (scale.restartReady, scale.restartRSS, scale.restartPeak) = (again.ready, again.memory.rss, again.memory.peak)
        print(
            String(
                format: "  restart: READY after %.2f s, %.0f MiB resident, peak %.0f MiB", again.ready, again.memory.rss,
                again.memory.peak))
        if fleetRate > 0 {
            let fleet = try await BinaryProcess.run(
                "smokegate-sim",
                [
                    "fleet", "--port", "\(broker.port)", "--devices", "\(detectors)", "--rate", "\(fleetRate)", "--duration",
                    "\(fleetSeconds)s", "--qos", "0",
                ], timeout: TimeInterval(fleetSeconds + 120))
            guard fleet.status == 0 else { throw TestSupportError("the fleet failed: \(fleet.stderr)") }
            try await Task.sleep(for: .seconds(3))
            let memory = ProcessMemory.of(again.process.pid)
            let received = Self.received(folder)
            scale.afterFleet = (memory.rss, memory.peak, received)
            print(
                String(
                    format: "  after the fleet: %.0f MiB resident, peak %.0f MiB, %d received", memory.rss, memory.peak, received)
            )
            guard await again.process.stop() == 0 else { throw TestSupportError("smokegated did not stop cleanly") }
            let heard = try await start(config)
            scale.heardRestart = (heard.ready, heard.memory.rss, heard.memory.peak)
            print(
                String(
                    format: "  restart with every detector heard: READY after %.2f s, %.0f MiB resident, peak %.0f MiB",
                    heard.ready, heard.memory.rss, heard.memory.peak))
            guard await heard.process.stop() == 0 else { throw TestSupportError("smokegated did not stop cleanly") }
            return scale
        }
        guard await again.process.stop() == 0 else { throw TestSupportError("smokegated did not stop cleanly") }
        return scale
    }

    /// Starts the daemon under a notify socket and waits for `READY=1`.
    static func start(_ config: URL) async throws -> (process: BinaryProcess, ready: Double, memory: ProcessMemory) {
        let notify = try NotifySocket()
        let started = Date()
        let process = try BinaryProcess("smokegated", ["--config", config.path], environment: ["NOTIFY_SOCKET": notify.path])
        let deadline = started.addingTimeInterval(300)
        while Date() < deadline {
            if await notify.receive(for: 0.01).contains(where: { $0.contains("READY=1") }) {
                return (process, Date().timeIntervalSince(started), ProcessMemory.of(process.pid))
            }
            guard process.child.isRunning else { throw TestSupportError("smokegated exited:\n\(process.standardError)") }
        }
        await process.stop(signal: SIGKILL)
        throw TestSupportError("smokegated not READY within 300 s")
    }

    /// Messages received, from the status row through the operator CLI.
    static func received(_ folder: URL) -> Int {
        let result = try? ProcessRunner.output(
            Executables.product("smokegate").path,
            ["status", "--json", "--config", folder.appendingPathComponent("smokegate.yaml").path])
        guard let text = result, let range = text.range(of: #""received" : "#) else { return 0 }
        return Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }
}
