/// Where the time of one alarm's call goes, on the monotonic clock: the ingest side's
/// instants, kept until the dispatcher adds its own at the call's PUBACK (`AlarmTraces`).
struct AlarmStages: Sendable {
    /// libmosquitto's callback began (or a platform's push request was taken).
    var entered: ContinuousClock.Instant
    /// Its turn came: the messages before it that the network thread handed to the worker
    /// (QoS 0, heartbeats) were applied, so a detector's messages keep their order.
    var inTurn: ContinuousClock.Instant
    /// The payload was decoded into events.
    var decoded: ContinuousClock.Instant
    /// The write transaction began: the time before it is the wait for the write lock.
    var began: ContinuousClock.Instant
    /// Its statements were done (the event, the rules' reads, the incident, timeline, call).
    var written: ContinuousClock.Instant
    /// The transaction committed (fsync included).
    var committed: ContinuousClock.Instant

    /// The dispatcher's instants for the call: its step began (`woken`), the outbox was read,
    /// the PUBLISH handed to libmosquitto, the broker's PUBACK arrived. Returns each stage's
    /// duration by name, in order, and the whole path as `total`. A step that began before
    /// the commit waited for nothing: its wake costs nothing and the read is counted from the
    /// commit.
    func stages(
        woken: ContinuousClock.Instant, read: ContinuousClock.Instant, handed: ContinuousClock.Instant,
        answered: ContinuousClock.Instant
    ) -> [(stage: String, duration: Duration)] {
        let readFrom = max(woken, committed)
        return [
            ("order", entered.duration(to: inTurn)),
            ("decode", inTurn.duration(to: decoded)),
            ("lock", decoded.duration(to: began)),
            ("statements", began.duration(to: written)),
            ("commit", written.duration(to: committed)),
            ("wake", max(.zero, committed.duration(to: woken))),
            ("read", max(.zero, readFrom.duration(to: read))),
            ("publish", read.duration(to: handed)),
            ("puback", handed.duration(to: answered)),
            ("total", entered.duration(to: answered)),
        ]
    }
}
