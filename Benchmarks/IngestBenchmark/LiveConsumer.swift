import ArgumentParser
import Foundation
import Logging
import SmokeGateDaemon
import SmokeGateMQTT
import SmokeGateTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// One consumer of the live stream, connected and subscribed, that can say at any moment how
/// many messages it has taken and how much CPU time it has used: the live benchmark samples
/// both at the start and the end of its window.
final class LiveConsumer {
    struct Reading {
        var at: Date
        var messages: Int
        var cpuSeconds: Double
    }

    let reading: () -> Reading
    let stop: () -> Void

    private init(reading: @escaping () -> Reading, stop: @escaping () -> Void) {
        self.reading = reading
        self.stop = stop
    }

    static func start(
        _ consumer: LiveStream.Consumer, broker: MosquittoBroker, qos: Int32, folder: URL, context: LiveStream
    ) throws -> LiveConsumer {
        switch consumer {
        case .subscriber: return try subscriber(broker: broker, qos: qos, folder: folder)
        case .gateway: return try gateway(broker: broker, qos: qos, folder: folder, context: context)
        case .bare: return try bare(broker: broker, qos: qos, logger: context.quiet)
        }
    }

    /// `mosquitto_sub` with a persistent session like the gateway's, printing two bytes a
    /// message ("x" and a newline) to a file: the file's size counts what it took.
    static func subscriber(broker: MosquittoBroker, qos: Int32, folder: URL) throws -> LiveConsumer {
        let output = folder.appendingPathComponent("mosquitto_sub.out").path
        let process = try ChildProcess(
            try Executables.find("mosquitto_sub", in: ["/usr/bin"]),
            [
                "-h", "127.0.0.1", "-p", "\(broker.port)", "-c", "-i", "live-sub", "-q", "\(qos)", "-t", LiveStream.filter, "-F",
                "x",
            ],
            standardOutput: output)
        // Subscribed once the broker routes a probe to it.
        try waitUntilSubscribed(port: broker.port) {
            (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0 > 0
        }
        let probe = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        return LiveConsumer(
            reading: {
                let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
                return Reading(at: Date(), messages: (size - probe) / 2, cpuSeconds: ProcessCPU.seconds(of: process.pid))
            },
            stop: { process.end() })
    }

    /// The real `smokegated`, run as it ships (its threads at the priorities it gives them;
    /// the daemon started in-process would inherit the harness's), counted from its
    /// `/metrics`: `smokegate_messages_received_total`, the messages it accounted for.
    static func gateway(broker: MosquittoBroker, qos: Int32, folder: URL, context: LiveStream) throws -> LiveConsumer {
        let httpPort = try FreePort.find()
        let configuration = try context.configuration(folder, broker.port, context.prefixes)
        let mainFile = URL(fileURLWithPath: configuration.file)
        try (try String(contentsOf: mainFile, encoding: .utf8) + "\nhttp:\n  listen: \"127.0.0.1:\(httpPort)\"\n")
            .write(to: mainFile, atomically: true, encoding: .utf8)
        let process = try ChildProcess(
            Executables.product("smokegated").path, ["--config", mainFile.path],
            standardError: folder.appendingPathComponent("smokegated.log").path)
        let received = { () -> Int? in
            guard let body = HTTPProbe.get("/metrics", port: httpPort)?.body else { return nil }
            return body.split(separator: "\n").filter { $0.hasPrefix("smokegate_messages_received_total") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0) { $0 + Int($1) }
        }
        let deadline = Date().addingTimeInterval(30)
        while HTTPProbe.get("/healthz", port: httpPort)?.status != 200 {
            guard Date() < deadline, process.isRunning else {
                process.end()
                throw ValidationError("smokegated did not become ready in 30 s; see \(folder.path)/smokegated.log")
            }
            usleep(20_000)
        }
        return LiveConsumer(
            reading: { Reading(at: Date(), messages: received() ?? 0, cpuSeconds: ProcessCPU.seconds(of: process.pid)) },
            stop: { process.end() })
    }

    /// A bare `MQTTClient` that only counts, with the gateway's session settings.
    static func bare(broker: MosquittoBroker, qos: Int32, logger: Logger) throws -> LiveConsumer {
        let counter = CountingDelegate()
        let client = try MQTTClient(
            options: MQTTOptions(
                host: "127.0.0.1", port: broker.port, clientID: "live-bare", subscriptions: [LiveStream.filter],
                subscriptionQoS: qos),
            delegate: counter, logger: logger)
        client.start()
        let deadline = Date().addingTimeInterval(30)
        while !client.isConnected {
            guard Date() < deadline else { throw ValidationError("the bare client did not connect in 30 s") }
            usleep(1_000)
        }
        return LiveConsumer(
            reading: {
                Reading(at: Date(), messages: counter.count.load(ordering: .relaxed), cpuSeconds: ProcessCPU.ownSeconds())
            },
            stop: { client.stop() })
    }

    /// Publishes a probe on a topic the filter matches until `subscribed` holds.
    private static func waitUntilSubscribed(port: Int, _ subscribed: () -> Bool) throws {
        let publisher = try Executables.find("mosquitto_pub", in: ["/usr/bin"])
        let deadline = Date().addingTimeInterval(30)
        while !subscribed() {
            guard Date() < deadline else { throw ValidationError("mosquitto_sub did not subscribe in 30 s") }
            let probe = try ChildProcess(
                publisher, ["-h", "127.0.0.1", "-p", "\(port)", "-t", "smokegate/detectors/probe/event", "-m", "probe"])
            _ = probe.reap(timeout: 10)
            usleep(50_000)
        }
    }
}
