import ArgumentParser
import Foundation
import SmokeGateCore

/// Measures the escalation ladder's two promises on a real broker with the daemon in-process,
/// in one run: a grid worker is called within 50 ms (p99) of an alarm while 10,000 heartbeats
/// a second come in, and with 10,000 fires open every later tier is called within a second of
/// its due time. The grid-call latency is reported beside a plain broker round trip measured in
/// the same run, because on a shared, noisy machine the difference is what belongs to the gateway.
@main
struct EscalationBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "EscalationBenchmark",
        abstract: "Alarm-to-grid-call latency under heartbeat load, and deadline lateness with many open incidents.",
        discussion: "A quick run: EscalationBenchmark --alarms 30 --incidents 500 --community-after 5 --heartbeat-rate 2000")

    @Option(help: "Alarms timed one at a time (measurement 1).") var alarms = 300
    @Option(help: "Background heartbeats per second during measurement 1.") var heartbeatRate = 10_000
    @Option(help: "Detectors the heartbeats come from.") var heartbeatDevices = 5_000
    @Option(help: "QoS of the heartbeats: 0, 1 or mix (alternating).") var heartbeatQos = HeartbeatLoad.QoS.mix
    @Option(help: "Connections the heartbeats are dealt round.") var heartbeatConnections = 4
    @Option(help: "Shortest gap between two alarms, in ms.") var minGapMs = 100
    @Option(help: "Longest gap between two alarms, in ms.") var maxGapMs = 200
    @Option(help: "Seconds of heartbeat load before the first alarm.") var warmUp = 2
    @Option(help: "Fire incidents opened together (measurement 2).") var incidents = 10_000
    @Option(help: "Seconds after opening the community tier is called (measurement 2); all incidents must open before it.")
    var communityAfter = 45
    @Option(help: "Seconds allowed for opening the incidents of measurement 2.") var openTimeout = 300
    @Flag(
        help:
            "Leave Nagle's algorithm on in the broker (mosquitto's default), where config/mosquitto.conf turns it off with set_tcp_nodelay true: what the shipped setting saves."
    )
    var brokerNagle = false
    @Flag(help: "Skip measurement 1 (alarm to grid call).") var skipLatency = false
    @Flag(help: "Leave new fires' first calls to the dispatcher's outbox read, as before they left as their commit returned.")
    var firstCallsFromOutbox = false
    @Flag(
        help:
            "Let SQLite's commits copy the write-ahead log back themselves, as before a connection of the store's own did it in the background."
    )
    var checkpointsInCommits = false
    @Flag(
        help:
            "Subscribe a second, plain client to the detectors' whole stream and time each alarm's arrival there, beside the gateway's."
    )
    var streamSubscriber = false
    @Flag(help: "Skip measurement 2 (deadline lateness).") var skipDeadlines = false
    @Option(help: "Detectors supervised in measurement 3 (the offline heap against a scan); 0 skips it.")
    var supervised = 1_000_000
    @Flag(help: "Run only measurement 4: an offline storm of a site while fires alarm elsewhere (ONLY=storm make bench).")
    var storm = false
    @Option(help: "Registered detectors in measurement 4.") var stormDetectors = 100_000
    @Option(help: "Grids in measurement 4 (a multiple of 10).") var stormGrids = 200
    @Option(help: "Grids whose detectors go offline together in measurement 4.") var stormOfflineGrids = 40
    @Flag(help: "Run only measurement 5: calls through receivers (ONLY=receivers make bench).") var receivers = false
    @Option(help: "Fires at once in measurement 5's burst.") var receiverBurst = 1_000
    @Option(help: "Seconds the SMS double takes to answer in measurement 5's slow burst.") var slowProvider = 5.0
    @Flag(help: "Run only measurement 6: NB-IoT platform pushes over HTTP (ONLY=push make bench).") var push = false
    @Option(help: "Pushed alarms per burst in measurement 6.") var pushBurst = 2_000
    @Flag(help: "Run only measurement 7: measurement 1 then a burst of alarms, on each store (ONLY=bursts make bench).")
    var bursts = false
    @Option(help: "Alarms from as many detectors published back to back in measurement 7, heartbeats going on.")
    var burst = 10_000
    @Option(help: "Stores measurement 7 runs on, in order (sqlite, postgres).") var stores = "sqlite,postgres"

    func validate() throws {
        guard alarms >= 0, incidents >= 0, heartbeatRate >= 0, heartbeatDevices > 0, heartbeatConnections > 0 else {
            throw ValidationError("counts and rates cannot be negative, and there must be at least one detector")
        }
        guard minGapMs > 0, minGapMs <= maxGapMs else {
            throw ValidationError("--min-gap-ms must be positive and at most --max-gap-ms")
        }
        guard communityAfter > 0, openTimeout > 0, warmUp >= 0 else {
            throw ValidationError("--community-after and --open-timeout must be positive, --warm-up not negative")
        }
    }

    func run() throws {
        var rows: [String] = []
        var complete = true
        if bursts {
            try runBursts()
            return
        }
        if receivers {
            let measurement = ReceiverLatency(
                alarms: alarms, heartbeatRate: heartbeatRate, heartbeatDevices: heartbeatDevices, burst: receiverBurst,
                slowSeconds: slowProvider)
            print(
                "5. receivers: \(alarms) alarms under \(heartbeatRate) heartbeats/s, each to its MQTT call and the grid's webhook; "
                    + "then \(receiverBurst) fires at once, the SMS provider answering at once, then in \(slowProvider) s")
            let result = try runBlocking { try await measurement.run() }
            let report = ReceiverReport(result: result, measurement: measurement)
            Self.printTable(report.print())
            if !report.complete { throw ExitCode.failure }
            return
        }
        if push {
            let measurement = PushLatency(
                alarms: alarms, heartbeatRate: heartbeatRate, heartbeatDevices: heartbeatDevices, burst: pushBurst)
            print(
                "6. platform push: \(alarms) alarms under \(heartbeatRate) heartbeats/s, MQTT and CTWing pushes alternated, "
                    + "each to its grid call; then \(pushBurst) pushed alarms over 1 and 32 connections against as many MQTT alarms"
            )
            let report = PushReport(result: try measurement.run(), measurement: measurement)
            Self.printTable(report.print())
            if !report.complete { throw ExitCode.failure }
            return
        }
        if storm {
            let measurement = OfflineStorm(detectors: stormDetectors, grids: stormGrids, offlineGrids: stormOfflineGrids)
            print(
                "4. offline storm: \(stormDetectors) detectors in \(stormGrids) grids, every heartbeat live; "
                    + "\(stormOfflineGrids) grids go offline together while fires alarm elsewhere")
            let report = StormReport(result: try measurement.run(), storm: measurement)
            Self.printTable(report.print())
            if !report.complete { throw ExitCode.failure }
            return
        }
        if !skipLatency, alarms > 0 {
            print(
                "1. alarm → grid call: \(alarms) alarms \(minGapMs)–\(maxGapMs) ms apart, under \(heartbeatRate) heartbeats/s "
                    + "(QoS \(heartbeatQos.rawValue)) from \(heartbeatDevices) detectors "
                    + "over \(heartbeatConnections) connections")
            let result = try AlarmLatency(
                alarms: alarms, heartbeatRate: heartbeatRate, heartbeatDevices: heartbeatDevices, heartbeatQoS: heartbeatQos,
                heartbeatConnections: heartbeatConnections,
                gap: minGapMs...maxGapMs, warmUp: .seconds(warmUp), brokerNagle: brokerNagle,
                firstCallsFromOutbox: firstCallsFromOutbox, checkpointsInCommits: checkpointsInCommits,
                streamSubscriber: streamSubscriber
            ).run()
            rows += LatencyReport(result: result).print()
            complete = complete && result.missingCalls.isEmpty && result.missingBaseline == 0
        }
        if !skipDeadlines, incidents > 0 {
            print("2. deadline lateness: \(incidents) fire incidents opened together, community tier at +\(communityAfter) s")
            let result = try DeadlineLateness(
                incidents: incidents, communityAfter: communityAfter, openTimeout: .seconds(openTimeout),
                brokerNagle: brokerNagle
            ).run()
            rows += LatenessReport(result: result, incidents: incidents, communityAfter: communityAfter).print()
            complete = complete && result.communityCalls == incidents
        }
        if supervised > 0 {
            for (profile, window) in [("default", 300.0), ("nbiot", 90_000.0)] {
                print(
                    "3. supervision: \(supervised) detectors, offline_after \(Int(window)) s (\(profile)), each heard once a window"
                )
                let cost = SupervisionCost(detectors: supervised, offlineAfter: window).run()
                let heap = cost.heapPerSecond.secondsValue * 1_000
                let scan = cost.scanPerSecond.secondsValue * 1_000
                print(String(format: "   watching them all: %.0f ms, once at start", cost.watchAll.secondsValue * 1_000))
                print(
                    String(
                        format:
                            "   per second: the heap re-arms %d due detectors in %.3f ms; one scan of every last-heard time takes %.2f ms (found %d)",
                        cost.duePerSecond, heap, scan, cost.scanFound))
                rows.append(
                    String(
                        format:
                            "| supervision per second, %d detectors, offline_after %.0f s: offline heap (a scan of all: %.2f ms) | %d due | %.3f | | | | |",
                        supervised, window, scan, cost.duePerSecond, heap))
            }
        }
        Self.printTable(rows)
        if !complete { throw ExitCode.failure }
    }

    /// Measurement 7: on each store, measurement 1 then a burst, the heartbeats going on.
    func runBursts() throws {
        let engines = stores.split(separator: ",").compactMap { BenchStore(rawValue: String($0)) }
        guard !engines.isEmpty, burst > 0 else { throw ValidationError("--stores names sqlite or postgres; --burst > 0") }
        var rows: [String] = []
        var complete = true
        for store in engines {
            print(
                "7. \(store.title): \(alarms) alarms timed one at a time, then \(burst) alarms from as many detectors "
                    + "back to back, under \(heartbeatRate) heartbeats/s (QoS \(heartbeatQos.rawValue))")
            let result = try AlarmLatency(
                alarms: alarms, heartbeatRate: heartbeatRate, heartbeatDevices: heartbeatDevices,
                heartbeatQoS: heartbeatQos, heartbeatConnections: heartbeatConnections, gap: minGapMs...maxGapMs,
                warmUp: .seconds(warmUp), brokerNagle: brokerNagle, store: store, burst: burst,
                firstCallsFromOutbox: firstCallsFromOutbox, checkpointsInCommits: checkpointsInCommits,
                streamSubscriber: streamSubscriber
            ).run()
            rows += LatencyReport(result: result).print()
            let calls = result.burst.map(\.calls) ?? 0
            complete = complete && result.missingCalls.isEmpty && calls == burst
        }
        Self.printTable(rows)
        if !complete { throw ExitCode.failure }
    }

    /// The report's rows under the table's head, as the docs quote them.
    static func printTable(_ rows: [String]) {
        print("")
        print("| measure | n | p50 ms | p90 ms | p99 ms | max ms | target |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        rows.forEach { print($0) }
    }
}

extension HeartbeatLoad.QoS: ExpressibleByArgument {}
