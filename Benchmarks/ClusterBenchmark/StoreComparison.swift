import Foundation
import SmokeGateTestSupport

/// Measurement 2: the same gateway on SQLite and on PostgreSQL, in the same run, each on a
/// fresh broker of the same kind and a fresh database: alarm → grid call latency (alarms from
/// distinct detectors on a fixed schedule, each timed from just before it is published to its
/// grid call's arrival at a responder), then a burst of alarms from as many more detectors
/// published back to back, timed from the first publish until the store holds every one of
/// them (alarms committed per second). PostgreSQL runs with fsync on, as SQLite commits an
/// alarm with `synchronous = FULL`. Variants run in turn, the order reversed every other round.
struct StoreComparison {
    enum Variant: String, CaseIterable, Sendable {
        case sqlite
        case postgres
        case cluster

        var title: String {
            switch self {
            case .sqlite: "SQLite"
            case .postgres: "PostgreSQL"
            case .cluster: "PostgreSQL, 2 nodes"
            }
        }
    }

    var variants: [Variant]
    var alarms: Int
    var gapMilliseconds: Int
    var burst: Int
    var rounds: Int
    var lease: TimeInterval

    struct Sample {
        /// Milliseconds from publish to the grid call's arrival.
        var latency: [Double] = []
        var missing = 0
        /// Alarms committed per second in each round's burst.
        var rates: [Double] = []
        /// Seconds from the burst's first publish to its last grid call, each round.
        var lastCall: [Double] = []
    }

    /// The ladder: grid at once, the rest far beyond the run, so the only calls are grid calls.
    static let ladder = "{ grid: 0s, community: 1h, street: 2h, station: 3h }"

    func run(progress: (String) -> Void) throws -> (samples: [Variant: Sample], versions: [String]) {
        let latencyDevices = (1...alarms).map { String(format: "lat-%05d", $0) }
        let burstDevices = (1...burst).map { String(format: "burst-%05d", $0) }
        let registry = Registry.csv(latencyDevices + burstDevices)
        let postgres = try TestPostgres.start(durable: true)
        defer { postgres.shutdown() }
        var versions = ["PostgreSQL " + ((try? postgres.psql("SHOW server_version")) ?? "?") + " (fsync on)"]
        var samples: [Variant: Sample] = [:]
        for round in 1...rounds {
            for variant in round % 2 == 1 ? variants : variants.reversed() {
                let broker = try MosquittoBroker()
                defer { broker.stop() }
                var nodes: [Gateway] = []
                defer { nodes.forEach { $0.stop() } }
                switch variant {
                case .sqlite:
                    nodes = [
                        try Gateway(
                            name: "solo", brokerPort: broker.port, database: .sqlite, escalation: Self.ladder, devices: registry)
                    ]
                case .postgres, .cluster:
                    let database = "bench_\(round)_\(variant.rawValue)"
                    try postgres.psql("CREATE DATABASE \(database)", database: "postgres")
                    let url = postgres.url(database: database)
                    nodes = try (variant == .cluster ? ["gw-a", "gw-b"] : ["solo"]).map {
                        try Gateway(
                            name: $0, brokerPort: broker.port, database: .postgres(url: url),
                            lease: variant == .cluster ? lease : nil, escalation: Self.ladder, devices: registry)
                    }
                }
                for node in nodes { try node.start() }
                if variant == .sqlite, round == 1, let store = try nodes[0].store(),
                    let version = try? store.inspect({
                        try $0.fetchValue(String.self, "SELECT sqlite_version()", [], cached: false)
                    })
                {
                    versions.insert("SQLite \(version) (WAL, synchronous = FULL for alarms)", at: 0)
                }
                let responders = try BrokerLink.connect(port: broker.port, subscriptions: ["smokegate/notify/grid/#"])
                defer { responders.stop() }
                let detectors = try BrokerLink.connect(port: broker.port)
                defer { detectors.stop() }
                // Let the nodes settle (a standby's first look at the lease, the first status rows).
                usleep(1_000_000)
                var sample = samples[variant] ?? Sample()
                try latency(latencyDevices, detectors: detectors, responders: responders, into: &sample)
                usleep(1_000_000)
                try ingest(burstDevices, detectors: detectors, responders: responders, gateway: nodes[0], into: &sample)
                samples[variant] = sample
                progress(
                    String(
                        format:
                            "   round %d, %@: alarm → grid call p50 %.1f ms, p99 %.1f ms; burst %.0f alarms/s, last call %.1f s",
                        round, variant.title, Distribution(sample.latency.suffix(alarms)).p50,
                        Distribution(sample.latency.suffix(alarms)).p99, sample.rates.last ?? 0, sample.lastCall.last ?? 0))
            }
        }
        return (samples, versions)
    }

    /// One alarm every `gapMilliseconds` from each of `devices`, timed to its grid call.
    private func latency(_ devices: [String], detectors: BrokerLink, responders: BrokerLink, into sample: inout Sample) throws {
        var sentAt: [String: Date] = [:]
        let start = ContinuousClock.now
        for (index, device) in devices.enumerated() {
            let slot = start + .milliseconds(index * gapMilliseconds)
            sleep(until: slot)
            sentAt[device] = Date()
            try detectors.alarm(device)
        }
        _ = poll(timeout: 15, every: .milliseconds(100)) { Set(responders.calls.map(\.device)).isSuperset(of: devices) }
        var first: [String: Call] = [:]
        for call in responders.calls where first[call.device] == nil { first[call.device] = call }
        for device in devices {
            guard let call = first[device], let sent = sentAt[device] else {
                sample.missing += 1
                continue
            }
            sample.latency.append(call.arrivedAt.timeIntervalSince(sent) * 1_000)
        }
    }

    /// Every alarm of `devices` published back to back, then timed until the store holds them all.
    private func ingest(
        _ devices: [String], detectors: BrokerLink, responders: BrokerLink, gateway: Gateway, into sample: inout Sample
    ) throws {
        let start = Date()
        for device in devices { try detectors.alarm(device) }
        guard try poll(timeout: 300, { try gateway.alarmsStored(prefix: "burst-") >= devices.count }) else {
            throw BenchError(
                "the burst was not stored within 300 s (\(try gateway.alarmsStored(prefix: "burst-")) of \(devices.count))")
        }
        sample.rates.append(Double(devices.count) / Date().timeIntervalSince(start))
        let wanted = Set(devices)
        _ = poll(timeout: 60, every: .milliseconds(100)) { Set(responders.calls.map(\.device)).isSuperset(of: wanted) }
        let last = responders.calls.filter { wanted.contains($0.device) }.map(\.arrivedAt).max() ?? start
        sample.lastCall.append(last.timeIntervalSince(start))
    }
}
