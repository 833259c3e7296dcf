import Foundation
import Synchronization

/// Native heartbeats published at a steady rate from a thread of their own for as long as a
/// measurement lasts, so that alarms compete with the background traffic a street's detectors
/// make. Paced by the monotonic clock: a stall is caught up, but never by more than a tenth of
/// a second's worth at once, so the load never turns into a burst that no fleet would send.
/// Heartbeats are dealt round several connections: one libmosquitto connection keeps at most
/// 20 QoS 1 messages in flight, which on its own cannot carry thousands a second.
final class HeartbeatLoad: Sendable {
    /// Which QoS the heartbeats use: all 0, all 1, or alternating.
    enum QoS: String, Sendable, CaseIterable {
        case zero = "0", one = "1", mix
    }

    let clients: [BenchClient]
    let rate: Int
    let devices: Int
    let qos: QoS
    /// Heartbeats handed to libmosquitto so far.
    let published = Atomic<Int>(0)
    /// Slots given up because the publisher fell more than the allowed backlog behind.
    let skipped = Atomic<Int>(0)
    /// While set, the detectors `quiet` names send nothing (a site's network is down).
    let muted = Atomic<Bool>(false)
    private let quiet: @Sendable (Int) -> Bool
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(
        port: Int, rate: Int, devices: Int, qos: QoS, connections: Int, quiet: @escaping @Sendable (Int) -> Bool = { _ in false }
    ) throws {
        self.quiet = quiet
        clients = try (0..<max(connections, 1)).map { _ in try BenchClient(port: port, name: "bench-heartbeats") }
        self.rate = rate
        self.devices = devices
        self.qos = qos
    }

    func start() {
        let thread = Thread { [self] in
            publishUntilStopped()
            finished.signal()
        }
        thread.name = "bench-heartbeats"
        thread.start()
    }

    /// Stops publishing and disconnects (waits at most ten seconds for the thread).
    func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        _ = finished.wait(timeout: .now() + .seconds(10))
        clients.forEach { $0.stop() }
    }

    /// Heartbeats the broker has taken (sent at QoS 0, acknowledged at QoS 1).
    var confirmed: Int {
        clients.reduce(0) { $0 + $1.inbox.published.load(ordering: .relaxed) }
    }

    private func publishUntilStopped() {
        guard rate > 0, devices > 0 else { return }
        let start = ContinuousClock.now
        let maxBacklog = max(rate / 10, 1)
        var issued = 0
        while !stopping.load(ordering: .relaxed) {
            let due = Int(start.duration(to: .now).milliseconds * Double(rate) / 1_000)
            if due - issued > maxBacklog {
                skipped.add(due - issued - maxBacklog, ordering: .relaxed)
                issued = due - maxBacklog
            }
            while issued < due {
                if muted.load(ordering: .relaxed), quiet(issued % devices + 1) {
                    issued += 1
                    continue
                }
                let device = BenchConfiguration.deviceID(issued % devices + 1)
                let level: Int32 = qos == .zero ? 0 : qos == .one ? 1 : Int32(issued % 2)
                let payload = #"{"type":"heartbeat","seq":\#(issued / devices),"battery":90}"#
                let client = clients[issued % clients.count]
                if (try? client.publish("smokegate/detectors/\(device)/event", payload, qos: level)) != nil {
                    published.add(1, ordering: .relaxed)
                }
                issued += 1
            }
            usleep(1_000)
        }
    }
}
