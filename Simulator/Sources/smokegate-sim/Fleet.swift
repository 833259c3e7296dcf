import ArgumentParser
import Foundation
import SmokeGateCore

extension SmokegateSim {
    /// `smokegate-sim fleet`: synthetic heartbeat traffic from many detectors.
    struct Fleet: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish heartbeats from a fleet of synthetic detectors at a steady rate.",
            discussion: """
                Detector ids are PREFIX-000001 … PREFIX-N; CTWing detectors get IMEIs 860000000000001 onwards.
                --rate 0 publishes flat out, bounded by the broker's acknowledgements.

                Examples:
                  smokegate-sim fleet --devices 5000 --rate 2000 --duration 30s
                  smokegate-sim fleet --devices 5000 --rate 0 --count 1000000 --qos 0
                  smokegate-sim fleet --devices 300 --format mix --rate 50 --count 600
                """)

        @OptionGroup var broker: BrokerOptions
        @Option(name: .long, help: "Number of detectors.") var devices = 1_000
        @Option(name: .long, help: "Messages per second across the fleet (0: as fast as the broker takes them).") var rate = 100.0
        @Option(
            name: .long,
            help:
                "Each detector's heartbeat interval, e.g. 1m: sets --rate to devices ÷ interval, detectors spread evenly over it."
        )
        var heartbeat: String?
        @Option(name: .long, help: "How long to run, e.g. 30s or 5m.") var duration: String?
        @Option(name: .long, help: "How many messages to publish in all.") var count: Int?
        @Option(name: .long, help: "MQTT QoS, 0 or 1.") var qos: Int32 = 0
        @Option(name: .long, help: "Payload format: native, zigbee2mqtt, ctwing or mix (one format per detector, in turn).")
        var format: FleetFormat = .native
        @Option(name: .long, help: "Device id prefix (native and Zigbee2MQTT; CTWing detectors are named by IMEI).")
        var prefix = "SIM"
        @Option(name: .long, help: "Topic template for native detectors; {id} stands for the device id.")
        var topic = "smokegate/detectors/{id}/event"
        @Option(
            name: .long,
            help: "Events injected per second among the heartbeats (per 1,000 messages with --rate 0): alarms, clears, faults, …")
        var alarmRate = 0.0
        @Option(name: .long, help: "Seed for the injected events: the same seed sends the same traffic (default: random).")
        var seed: UInt64?
        @Option(
            name: .long,
            help:
                "Write devices.csv and response-chain.yaml for this fleet into DIR (and publish nothing unless --count or --duration is given)."
        )
        var writeRegistry: String?

        func validate() throws {
            guard devices > 0 else { throw ValidationError("--devices must be at least 1") }
            guard rate >= 0 else { throw ValidationError("--rate must be 0 or more") }
            guard alarmRate >= 0 else { throw ValidationError("--alarm-rate must be 0 or more") }
            if let heartbeat, (DurationText.parse(heartbeat) ?? .zero) <= .zero {
                throw ValidationError("--heartbeat '\(heartbeat)' is not a duration like 1m or 24h")
            }
            guard qos == 0 || qos == 1 else { throw ValidationError("--qos must be 0 or 1") }
            guard (duration == nil) != (count == nil) || (writeRegistry != nil && duration == nil && count == nil) else {
                throw ValidationError("give exactly one of --duration or --count")
            }
            if let duration, DurationText.parse(duration).map(\.secondsValue) == nil {
                throw ValidationError("--duration '\(duration)' is not a duration like 30s or 5m")
            }
        }

        func run() throws {
            let detectors = (1...devices).map {
                FleetDetector(index: $0, format: format.format(for: $0), prefix: prefix, nativeTopic: topic)
            }
            if let writeRegistry {
                try FleetRegistry(detectors: detectors).write(to: writeRegistry)
                print("wrote \(writeRegistry)/devices.csv and \(writeRegistry)/response-chain.yaml for \(devices) detectors")
                guard count != nil || duration != nil else { return }
            }
            let publisher = try Publisher(broker)
            // One heartbeat per detector per interval, in turn: spread, never in lockstep.
            let rate = heartbeat.flatMap(DurationText.parse).map { Double(devices) / $0.secondsValue } ?? self.rate
            let seed = self.seed ?? UInt64.random(in: 0...UInt64.max)
            var events = FleetEvents(seed: seed)
            let probability = min(1, rate > 0 ? alarmRate / rate : alarmRate / 1_000)
            // CTWing stamps are milliseconds; each message gets its own, from the run's start.
            let firstStamp = Int64(Date().timeIntervalSince1970 * 1_000)
            var sequences = [Int](repeating: 0, count: devices)
            let limit = count ?? Int.max
            let stopAt = duration.flatMap(DurationText.parse).map { Date().addingTimeInterval($0.secondsValue) }
            let started = Date()
            var sent = 0
            var lastReport = started
            let interactive = isatty(STDERR_FILENO) == 1
            while sent < limit {
                if let stopAt, sent % 256 == 0, Date() >= stopAt { break }
                if rate > 0 {
                    // A steady pacer: message n is due at n / rate seconds after the start.
                    let due = started.addingTimeInterval(Double(sent) / rate)
                    let wait = due.timeIntervalSinceNow
                    if wait > 0.0005 { Thread.sleep(forTimeInterval: wait) }
                }
                if let (index, kind) = events.event(at: sent, probability: probability, devices: devices) {
                    let detector = detectors[index]
                    sequences[index] += 1
                    let payload = detector.event(kind, sequence: sequences[index], timestamp: firstStamp + Int64(sent))
                    try publisher.publish(detector.topic, payload, qos: qos)
                } else {
                    let index = sent % devices
                    sequences[index] += 1
                    try publisher.publish(
                        detectors[index].topic, detectors[index].heartbeat(sequence: sequences[index]), qos: qos)
                }
                sent += 1
                if interactive, sent % 10_000 == 0, Date().timeIntervalSince(lastReport) > 0.5 {
                    lastReport = Date()
                    let elapsed = lastReport.timeIntervalSince(started)
                    FileHandle.standardError.write(
                        Data(String(format: "\r%d sent, %.0f msg/s   ", sent, Double(sent) / elapsed).utf8))
                }
            }
            try publisher.drain()
            let elapsed = Date().timeIntervalSince(started)
            publisher.close()
            if interactive { FileHandle.standardError.write(Data("\r".utf8)) }
            print(
                String(
                    format: "published %d messages from %d detectors at QoS %d in %.3f s: %.0f msg/s", sent, devices, qos,
                    elapsed, Double(sent) / max(elapsed, 1e-9)))
            let injected = FleetEventKind.allCases.compactMap { kind in events.counts[kind].map { "\($0) \(kind.rawValue)" } }
            print(
                "injected: \(injected.isEmpty ? "nothing" : injected.joined(separator: ", ")); seed \(seed) (--seed \(seed) repeats it)"
            )
        }
    }
}
