import Prometheus

extension GatewayMetrics {
    /// From 50 µs to 5 s, dense below 10 ms where the gateway's own share of an alarm lies.
    static let stageBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(200), .microseconds(300), .microseconds(500),
        .microseconds(750), .milliseconds(1), .milliseconds(1.5), .milliseconds(2), .milliseconds(3), .milliseconds(4),
        .milliseconds(5), .milliseconds(7.5), .milliseconds(10), .milliseconds(15), .milliseconds(20), .milliseconds(30),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    /// One alarm's call was confirmed: each stage of its path, from libmosquitto's callback to
    /// the broker's PUBACK, into `smokegate_alarm_stage_seconds{stage}`.
    func alarmCallConfirmed(_ stages: [(stage: String, duration: Duration)]) {
        let descriptor = Self.name(
            "alarm_stage", unit: "seconds",
            help: "An alarm's path to its call's PUBACK by stage: order (waiting for the messages before it), decode, "
                + "lock (waiting for the write transaction), "
                + "statements (the transaction's work), commit (COMMIT and its fsync), wake (the dispatcher), "
                + "read (the outbox; wake and read are zero for a new fire's first call, which leaves as its commit "
                + "returns), publish, puback, and the total.")
        for (stage, duration) in stages {
            registry.makeDurationHistogram(descriptor: descriptor, labels: [("stage", stage)], buckets: Self.stageBuckets)
                .record(max(.zero, duration))
        }
    }

    /// New fires' first calls that left as their commits returned (`ExpressCalls`), without
    /// waiting for the dispatcher to wake and read the outbox.
    func firstFireCallsPublished(_ count: Int) {
        registry.makeCounter(
            descriptor: Self.name(
                "first_fire_calls", unit: "total",
                help: "New fires' first calls published as their commit returned, ahead of the outbox read."),
            labels: []
        ).increment(by: Int64(count))
    }
}
