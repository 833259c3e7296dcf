import Foundation
import Hummingbird
import Logging
import SmokeGateConfig
import SmokeGateStore

/// `http.listen`'s endpoints: `GET /metrics` (Prometheus text) and `GET /healthz` (200 while
/// the broker session is up with every subscription granted, the database takes writes and
/// the broker takes the calls; 503 otherwise, with a JSON body saying which, see
/// `HealthReport`). Served by Hummingbird, which runs as one more service of the daemon.
enum MonitoringServer {
    struct Inputs: Sendable {
        let metrics: GatewayMetrics
        let connection: ConnectionState
        let health: DatabaseHealth
        let memory: DeviceMemory
        let store: Store
        let refusals: BrokerRefusals
        let receivers: ReceiverHealth
        /// What `/answer/…` acts with, when `answer:` is configured (nil: those routes are absent).
        var answers: AnswerDesk? = nil
        /// The platforms' HTTP pushes served here (`sources` entries with `http:`).
        var pushSources: [PushSource] = []
        var pushes: PushDesk? = nil
        /// This gateway's node and role in its cluster (`leader` on its own).
        var leadership: Leadership? = nil

        var report: HealthReport {
            HealthReport(
                connected: connection.isConnected, writable: health.isWritable(), dispatch: refusals.dispatch.snapshot,
                subscriptions: refusals.subscriptions,
                receiversRefusing: receivers.refusing, node: leadership?.node, role: leadership?.role ?? "leader")
        }
    }

    static func application(host: String, port: Int, inputs: Inputs, logger: Logger) -> some ApplicationProtocol {
        let router = Router(context: GatewayRequestContext.self)
        router.get("metrics") { _, _ -> Response in
            let body = inputs.metrics.render(
                GatewayMetrics.Snapshot(
                    counters: inputs.memory.counters, connected: inputs.connection.isConnected,
                    databaseWritable: inputs.health.isWritable(),
                    openIncidents: (try? inputs.store.unresolvedIncidentsByKindAndTier()) ?? [],
                    outboxBacklog: (try? inputs.store.outboxBacklog()) ?? 0, sqliteMemory: Store.sqliteMemoryInUse,
                    callsHeldByRefusal: inputs.refusals.dispatch.snapshot.held,
                    subscriptionsRefused: inputs.refusals.subscriptions.count))
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.get("healthz") { _, _ -> Response in
            let report = inputs.report
            return Response(
                status: report.healthy ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: report.json)))
        }
        if let answers = inputs.answers { AnswerRoutes.mount(on: router, desk: answers) }
        if let pushes = inputs.pushes { PushRoutes.mount(on: router, sources: inputs.pushSources, desk: pushes) }
        let serverLogger = {
            var logger = logger
            logger[metadataKey: "component"] = "http"
            return logger
        }()
        return Application(
            router: router,
            // No `Server` header: the push paths face the internet, and nothing there should name
            // the gateway to whoever probes them.
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { _ in
                let served =
                    ["/metrics", "/healthz"] + (inputs.answers == nil ? [] : ["/answer"])
                    + inputs.pushSources.map { "\($0.format.rawValue) push" }
                serverLogger.info(
                    "serving \(served.joined(separator: ", "))", metadata: ["listen": "\(host):\(port)"])
            },
            logger: serverLogger)
    }
}
