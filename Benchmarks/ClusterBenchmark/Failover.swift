import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// Measurement 1: two gateways on one PostgreSQL database (fsync on); a fire opens, and right
/// after its grid call reaches the responders the leader is SIGKILLed. Timed: the kill → the
/// next tier's call on the broker (raw, nothing subtracted), and how late that tier was against
/// its offset from the opening. The killed node is then started again (a standby) before the
/// next fire, so the two nodes take turns leading.
struct Failover {
    var kills: Int
    var lease: TimeInterval
    /// Seconds after the opening the next tier (community) is due: shorter than the lease, so
    /// the call waits for the standby's takeover, not for its deadline.
    var nextTierAfter: Int

    struct Result {
        /// Seconds from the kill to the community call's arrival.
        var failover: [Double] = []
        /// Seconds the community call arrived after its due time (opening + offset).
        var lateness: [Double] = []
        /// Milliseconds from the grid call's arrival to the kill.
        var killDelay: [Double] = []
        /// Which node was killed each time, and what it was once back.
        var killed: [String] = []
        var cameBackAs: [String] = []
        /// Kills after which no community call came within 30 s.
        var missing: [String] = []
        /// (device, tier) calls received under more than one notification id.
        var doubled: [String] = []
        var seconds = 0.0
    }

    func run(progress: (String) -> Void) throws -> Result {
        let started = Date()
        let postgres = try TestPostgres.start(durable: true)
        defer { postgres.shutdown() }
        let broker = try MosquittoBroker()
        defer { broker.stop() }
        let devices = (1...kills).map { String(format: "fo-%04d", $0) }
        let ladder = "{ grid: 0s, community: \(nextTierAfter)s, street: 1h, station: 2h }"
        let nodes = try ["gw-a", "gw-b"].map {
            try Gateway(
                name: $0, brokerPort: broker.port, database: .postgres(url: postgres.url), lease: lease, escalation: ladder,
                devices: Registry.csv(devices))
        }
        defer { nodes.forEach { $0.stop() } }
        let responders = try BrokerLink.connect(port: broker.port, subscriptions: ["smokegate/notify/#"])
        defer { responders.stop() }
        let detectors = try BrokerLink.connect(port: broker.port)
        defer { detectors.stop() }
        let reader = try Store(postgres: PostgresLocation(url: postgres.url), readOnly: true, deadline: 5)
        /// The running node holding the lease with an epoch above `epoch`, once there is one.
        func leader(after epoch: Int64, timeout: TimeInterval = 30) -> (node: Gateway, epoch: Int64)? {
            var found: (node: Gateway, epoch: Int64)?
            _ = poll(timeout: timeout) {
                guard let holder = try? reader.leaseHolder(), holder.remaining > 0, holder.epoch > epoch,
                    let node = nodes.first(where: { $0.name == holder.node && $0.process?.child.isRunning == true })
                else { return false }
                found = (node, holder.epoch)
                return true
            }
            return found
        }
        try nodes[0].start()
        guard leader(after: 0)?.node.name == "gw-a" else { throw BenchError("gw-a did not take the lease:\n\(nodes[0].log)") }
        try nodes[1].start()

        var result = Result()
        var epoch: Int64 = 0
        for device in devices {
            guard let (node, held) = leader(after: epoch) else {
                throw BenchError("no node took the lease after epoch \(epoch):\n\(nodes.map(\.log).joined(separator: "\n"))")
            }
            epoch = held
            try detectors.alarm(device)
            guard poll(timeout: 10, every: .milliseconds(2), { responders.call(device: device, tier: "grid") != nil }),
                let grid = responders.call(device: device, tier: "grid"), let killedAt = node.kill()
            else { throw BenchError("no grid call for \(device):\n\(node.log)") }
            result.killDelay.append(killedAt.timeIntervalSince(grid.arrivedAt) * 1_000)
            result.killed.append(node.name)
            if poll(timeout: 30, { responders.call(device: device, tier: "community") != nil }),
                let next = responders.call(device: device, tier: "community")
            {
                result.failover.append(next.arrivedAt.timeIntervalSince(killedAt))
                result.lateness.append(next.arrivedAt.timeIntervalSince(next.openedAt) - Double(nextTierAfter))
            } else {
                result.missing.append(device)
            }
            // Back as a standby: the other node leads by now.
            try node.start()
            let now = try? reader.leaseHolder()
            result.cameBackAs.append(now?.node == node.name ? "leader" : "standby")
            progress(
                String(
                    format: "   kill %d/%d: %@ killed %.0f ms after the grid call; community call %@", result.killed.count, kills,
                    node.name, result.killDelay.last ?? 0,
                    result.failover.count == result.killed.count
                        ? String(format: "%.2f s after the kill", result.failover.last ?? 0) : "MISSING"))
        }
        let calls = responders.calls
        var ids: [String: Set<String>] = [:]
        for call in calls { ids["\(call.device)/\(call.tier)", default: []].insert(call.notification) }
        result.doubled = ids.filter { $0.value.count > 1 }.map(\.key).sorted()
        result.seconds = Date().timeIntervalSince(started)
        return result
    }
}
