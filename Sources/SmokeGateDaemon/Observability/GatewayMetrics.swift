import Foundation
import Prometheus
import SmokeGateCore
import Synchronization

/// The daemon's Prometheus registry, one per daemon so that tests can run several in one
/// process. Calls and deadlines are recorded as they happen; totals that ingest already keeps
/// (messages by format, rejections by reason) and levels (open incidents, the broker
/// connection, the outbox backlog) are read when `/metrics` is scraped, so the hot path pays
/// nothing for them.
final class GatewayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    /// How late a deadline fired, from 10 ms to a quarter of an hour (after an outage).
    private let lateness: DurationHistogram
    /// Calls confirmed by the broker and the time from deciding each to its PUBACK, by tier.
    private let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
        .seconds(60),
    ]
    /// Ingest totals already counted, so a scrape adds only what is new to each counter.
    private let published = Mutex(IngestCounters())

    init() {
        lateness = registry.makeDurationHistogram(
            descriptor: Self.name(
                "escalation_lateness", unit: "seconds",
                help: "How long after its deadline an incident's next tier was called (late ones follow a restart)."),
            labels: [],
            buckets: [
                .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                .seconds(1), .seconds(5), .seconds(30), .seconds(60), .seconds(300), .seconds(900),
            ])
        connectedGauge.set(to: 0)
        clockSteps.increment(by: Int64(0))
        firstFireCallsPublished(0)
    }

    static func name(_ metric: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "smokegate", metricName: metric, unitName: unit, helpText: help)
    }

    // MARK: Recorded as it happens

    /// Deadlines fired by the scheduler, with how late each was.
    func deadlinesFired(lateness seconds: [TimeInterval]) {
        for late in seconds { lateness.record(.seconds(max(0, late))) }
    }

    /// The broker confirmed a call decided at `decidedAt`.
    func callConfirmed(tier: String, action: String, decidedAt: Date, at now: Date) {
        registry.makeCounter(
            descriptor: Self.name("notifications_sent", unit: "total", help: "Calls the broker confirmed, by tier and action."),
            labels: [("tier", tier), ("action", action)]
        ).increment()
        guard action == "notify" else { return }
        registry.makeDurationHistogram(
            descriptor: Self.name(
                "alarm_to_dispatch", unit: "seconds",
                help: "From an alarm call being decided (the alarm stored, or its tier's deadline) to the broker's PUBACK."),
            labels: [("tier", tier)], buckets: latencyBuckets
        ).record(.seconds(max(0, now.timeIntervalSince(decidedAt))))
    }

    /// Steps of the wall clock the gateway has moved its schedules for (see `ClockStepWatch`).
    private var clockSteps: Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "clock_steps", unit: "total",
                help: "Wall-clock steps of more than 2 s seen; deadlines and supervision kept to the monotonic clock."),
            labels: [])
    }

    func clockStepped() { clockSteps.increment() }

    /// The broker did not confirm a call in time: it will be tried again.
    func callRetried(tier: String) {
        registry.makeCounter(
            descriptor: Self.name(
                "dispatch_retries", unit: "total", help: "Calls the broker did not confirm in time, to be tried again, by tier."),
            labels: [("tier", tier)]
        ).increment()
    }

    /// The broker refused a call (an MQTT 5 PUBACK reason of 0x80 or above): it stays in the
    /// outbox and is tried again.
    func callRefused(tier: String) {
        registry.makeCounter(
            descriptor: Self.name(
                "calls_refused", unit: "total",
                help: "Call attempts the broker refused (not authorized, quota…), by tier; each is retried, never marked sent."),
            labels: [("tier", tier)]
        ).increment()
    }

    // MARK: Read when scraped

    private var connectedGauge: Gauge {
        registry.makeGauge(
            descriptor: Self.name("broker_connected", help: "1 while the broker session is up with every subscription granted."),
            labels: [])
    }

    /// Everything `/metrics` shows that is a level or a total kept elsewhere.
    struct Snapshot {
        var counters: IngestCounters
        var connected: Bool
        var databaseWritable: Bool
        var openIncidents: [(kind: String, tier: String?, count: Int)]
        var outboxBacklog: Int
        var sqliteMemory: Int
        /// Calls held because the broker refused their last attempt.
        var callsHeldByRefusal = 0
        /// Ingest subscriptions the broker refused or granted below the QoS asked.
        var subscriptionsRefused = 0
    }

    /// The exposition text, after bringing the scraped values up to date.
    func render(_ snapshot: Snapshot) -> [UInt8] {
        publish(snapshot.counters)
        connectedGauge.set(to: snapshot.connected ? 1 : 0)
        registry.makeGauge(
            descriptor: Self.name("database_writable", help: "1 while the daemon's last write to its database succeeded."),
            labels: []
        ).set(to: snapshot.databaseWritable ? 1 : 0)
        registry.makeGauge(
            descriptor: Self.name("outbox_backlog", help: "Calls waiting for the broker to take them."), labels: []
        ).set(to: Double(snapshot.outboxBacklog))
        registry.makeGauge(
            descriptor: Self.name(
                "calls_held_refused", help: "Calls whose last attempt the broker refused: above 0 while it refuses calls."),
            labels: []
        ).set(to: Double(snapshot.callsHeldByRefusal))
        registry.makeGauge(
            descriptor: Self.name(
                "subscriptions_refused", help: "Ingest subscriptions the broker refused or granted below the QoS asked."),
            labels: []
        ).set(to: Double(snapshot.subscriptionsRefused))
        registry.makeGauge(
            descriptor: Self.name(
                "sqlite_memory", unit: "bytes", help: "Memory SQLite holds (page caches, statements): bounded by the cache sizes."
            ),
            labels: []
        ).set(to: Double(snapshot.sqliteMemory))
        let open = Self.name(
            "open_incidents", help: "Unresolved incidents by kind and the highest tier called (none: nobody yet).")
        for kind in IncidentKind.allCases {
            for tier in Tier.allCases.map(\.rawValue) + ["none"] {
                let count = snapshot.openIncidents.first { $0.kind == kind.rawValue && ($0.tier ?? "none") == tier }?.count ?? 0
                registry.makeGauge(descriptor: open, labels: [("kind", kind.rawValue), ("tier", tier)]).set(to: Double(count))
            }
        }
        return registry.emitToBuffer()
    }

    /// Ingest's totals become counters: each is raised by what it grew since the last scrape.
    private func publish(_ counters: IngestCounters) {
        let before = published.withLock { published in
            defer { published = counters }
            return published
        }
        func add(_ metric: String, _ help: String, _ labels: [(String, String)], _ now: Int, _ then: Int) {
            registry.makeCounter(descriptor: Self.name(metric, unit: "total", help: help), labels: labels)
                .increment(by: Int64(max(0, now - then)))
        }
        let received = "Messages taken off the broker, by payload format."
        for format in PayloadFormat.allCases {
            add(
                "messages_received", received, [("format", format.rawValue)], counters.count(of: format), before.count(of: format)
            )
        }
        let rejected = "Messages refused, by reason; each is kept in the rejected table with its bytes."
        for reason in Rejection.Reason.allCases {
            add(
                "messages_rejected", rejected, [("reason", reason.rawValue)], counters.count(of: reason), before.count(of: reason)
            )
        }
        add("heartbeats", "Heartbeats accounted for.", [], counters.heartbeats, before.heartbeats)
        add("events_stored", "Events written to the database.", [], counters.storedEvents, before.storedEvents)
        add("duplicates", "Redeliveries recognised and not stored twice.", [], counters.duplicates, before.duplicates)
        add(
            "readings_dropped", "Bad optional readings dropped from messages that were kept (noted on the event).", [],
            counters.droppedReadings, before.droppedReadings)
        add("retained_ignored", "Retained messages, never taken as events.", [], counters.retained, before.retained)
        add(
            "unregistered_overflow",
            "Messages of unregistered devices beyond the number listed: counted, not stored (alarms always are).", [],
            counters.strangersOverflow, before.strangersOverflow)
        add(
            "ingest_commits", "Durable transactions of ingest (one per read pass's group of messages at most).", [],
            counters.durableCommits, before.durableCommits)
        add(
            "ingest_committed_messages", "Messages those transactions committed: over ingest_commits, the mean group.",
            [], counters.durablyCommittedMessages, before.durablyCommittedMessages)
    }
}
