import ServiceLifecycle

/// Runs the QoS 0 worker for as long as the daemon runs; on shutdown (after the MQTT
/// session has stopped taking messages) it handles what is still queued.
struct DeferredIngestService: NamedService {
    let worker: DeferredIngest

    func run() async throws {
        worker.start()
        try? await gracefulShutdown()
        worker.stop()
    }
}
