import ServiceLifecycle
import SmokeGateMQTT

/// Keeps the broker session for as long as the daemon runs; on shutdown it disconnects
/// after the message in hand is committed (the network thread finishes its callback first).
struct MQTTSessionService: NamedService {
    let client: MQTTClient
    let pipeline: IngestPipeline

    func run() async throws {
        client.start()
        try? await gracefulShutdown()
        pipeline.stopping.store(true, ordering: .relaxed)
        client.stop()
    }
}
