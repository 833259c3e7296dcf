import Foundation
import SmokeGateTestSupport

/// A burst: alarms from `devices`, one each, published back to back at QoS 1 while the
/// heartbeats go on, each timed to its grid call. GB 26875 allows 10 s from alarm to the
/// monitoring centre, so the figure that matters is the last call's delay; the rate is the
/// burst's alarms over the time to its last call.
struct BurstOfAlarms {
    var devices: [String]
    var timeout: Duration

    func run(port: Int, subscriber: BenchClient, metricsPort: Int) throws -> BurstResult {
        let before = IngestGroups.scrape(port: metricsPort)
        let publisher = try BenchClient(port: port, name: "bench-burst")
        defer { publisher.stop() }
        var published: [String: ContinuousClock.Instant] = [:]
        published.reserveCapacity(devices.count)
        let start = ContinuousClock.now
        for (index, device) in devices.enumerated() {
            published[device] = .now
            try publisher.publish("smokegate/detectors/\(device)/event", #"{"type":"alarm","seq":\#(index + 1)}"#, qos: 1)
        }
        let handedOver = ContinuousClock.now
        var calls: [String: ContinuousClock.Instant] = [:]
        let deadline = start + timeout
        var nextProgress = start + .seconds(5)
        // When the daemon had stored them all (its commit counter, scraped four times a second):
        // what is left after it is the dispatcher's.
        var storedSeconds: Double?
        var nextScrape = start
        while calls.count < devices.count, ContinuousClock.now < deadline {
            if storedSeconds == nil, let before, ContinuousClock.now >= nextScrape,
                let now = IngestGroups.scrape(port: metricsPort),
                now.since(before).messages >= Double(devices.count)
            {
                storedSeconds = start.duration(to: .now).milliseconds / 1_000
            }
            if ContinuousClock.now >= nextScrape { nextScrape = .now + .milliseconds(250) }
            for arrival in subscriber.inbox.wait(until: min(deadline, .now + .milliseconds(250))) {
                guard let call = Call(arrival), call.action == "notify", call.tier == "grid",
                    published[call.device] != nil, calls[call.device] == nil
                else { continue }
                calls[call.device] = arrival.instant
            }
            if ContinuousClock.now >= nextProgress {
                print(
                    String(
                        format: "   burst: %d of %d grid calls after %.0f s", calls.count, devices.count,
                        start.duration(to: .now).milliseconds / 1_000))
                nextProgress = nextProgress + .seconds(5)
            }
        }
        let delays = calls.map { device, instant in published[device]!.duration(to: instant).milliseconds }
        let last = calls.values.max().map { start.duration(to: $0).milliseconds / 1_000 } ?? .infinity
        let after = IngestGroups.scrape(port: metricsPort)
        return BurstResult(
            alarms: devices.count, calls: calls.count, publishSeconds: start.duration(to: handedOver).milliseconds / 1_000,
            lastCallSeconds: last, storedSeconds: storedSeconds, delays: Distribution(delays),
            groups: before.flatMap { before in after.map { $0.since(before) } })
    }
}
