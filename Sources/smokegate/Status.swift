import ArgumentParser
import Foundation
import SmokeGateStore

extension Smokegate {
    /// `smokegate status`: is the daemon alive, connected, and taking traffic?
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the daemon's health: broker connection, messages received and rejected.",
            discussion: """
                The daemon rewrites its status twice a second; a status older than 5 seconds means the daemon
                is not running, and then 'connected' is false whatever it last wrote. A subscription the broker
                refused (or granted below QoS 1) keeps 'connected' false and is listed; calls the broker refuses
                are shown with the broker's reason: they stay in the outbox and are retried. The age is measured on
                the machine's boot clock, which a step of the wall clock (NTP, a stale clock at boot) cannot
                move; a status written before the last reboot is not running.

                Examples:
                  smokegate status
                  smokegate status --json | jq .received
                """)

        @OptionGroup var options: ConsoleOptions
        @Flag(name: .long, help: "Print one JSON object on stdout.") var json = false

        /// Older than this, a status row speaks of a daemon that is no longer running.
        static let staleAfter: TimeInterval = 5

        func run() async throws {
            try reportingFailures {
                let configuration = try options.loadConfiguration()
                let store = try options.openStore(configuration)
                guard let status = try store.readStatus() else {
                    throw ConsoleFailure("smokegated has never run on \(configuration.storeSummary)")
                }
                let now = Date()
                let boot = BootClock.now()
                let age = status.age(now: now, boot: boot)
                let running = status.isRunning(now: now, boot: boot, staleAfter: Self.staleAfter)
                let connected = running && status.connected
                let refusing = running && status.dispatchRefusing
                let refusedFilters = running ? status.subscriptionsRefused.keys.sorted() : []
                // The wall time at which the status is as old as the boot clock says, for "ago".
                let seen = age.seconds.map { status.updatedAt.addingTimeInterval($0) } ?? now
                // The last reload of the daemon that wrote this status (an earlier run's is history).
                let reload = try store.lastReload().flatMap { $0.pid == status.pid && $0.at >= status.startedAt ? $0 : nil }
                // Devices heard but not registered: listed, never paged (rule 16).
                let unregistered = try store.strangerCount()
                // In a cluster: every node's own row, and the lease (who leads, its epoch).
                let nodes = configuration.cluster == nil ? [] : try store.clusterNodes()
                let lease = configuration.cluster == nil ? nil : try store.leaseHolder()
                if json {
                    JSONOutput.print(
                        [
                            "connected": connected, "running": running, "received": status.received,
                            "rejected": status.rejected, "heartbeats": status.heartbeats, "events": status.events,
                            "duplicates": status.duplicates, "updated_at": JSONOutput.time(status.updatedAt),
                            "started_at": JSONOutput.time(status.startedAt), "stopped_at": JSONOutput.time(status.stoppedAt),
                            // Across a reboot only the wall clock can say (age_clock tells which it is).
                            "age_seconds": ((age.seconds ?? now.timeIntervalSince(status.updatedAt)) * 1_000).rounded() / 1_000,
                            "age_clock": age.clock, "pid": status.pid, "client_id": status.clientID,
                            "broker": status.broker, "by_format": status.byFormat, "by_reason": status.byReason,
                            "database": configuration.postgres?.redactedURL ?? configuration.databasePath,
                            // The node that wrote this status (its cluster's leader) and its role.
                            "node": JSONOutput.optional(status.node),
                            "role": status.node == nil || lease.map { $0.node == status.node && $0.remaining > 0 } == true
                                ? "leader" : "standby",
                            "cluster": nodes.map { node in
                                [
                                    "node": node.node, "role": node.role, "epoch": JSONOutput.optional(node.epoch),
                                    "pid": node.pid, "connected": node.connected, "received": node.received,
                                    "running": now.timeIntervalSince(node.updatedAt) <= Self.staleAfter,
                                    "updated_at": JSONOutput.time(node.updatedAt),
                                    "age_seconds": (now.timeIntervalSince(node.updatedAt) * 1_000).rounded() / 1_000,
                                ] as [String: Any]
                            },
                            "last_reload": reload.map {
                                [
                                    "at": JSONOutput.time($0.at), "succeeded": $0.succeeded, "summary": $0.summary,
                                    "problems": $0.problems,
                                ] as [String: Any]
                            } ?? NSNull(),
                            "dispatch_refusing": refusing, "calls_refused": status.callsRefused,
                            "refusal": JSONOutput.optional(refusing ? status.refusal : nil),
                            "subscriptions_refused": refusedFilters, "unregistered": unregistered,
                            "receivers_in_trouble": running ? status.receiversInTrouble : [:],
                        ] as [String: Any])
                    return
                }
                let state =
                    running
                    ? (connected
                        ? "running, connected to \(status.broker)"
                        : refusedFilters.isEmpty
                            ? "running, NOT connected to \(status.broker)"
                            : "running, NOT connected: \(status.broker) refuses \(refusedFilters.count) subscription(s)")
                    : status.stoppedAt != nil
                        ? "stopped \(RelativeTime.ago(status.stoppedAt, now: seen))"
                        : age == .earlierBoot
                            ? "NOT RUNNING (last status written before this machine last started)"
                            : "NOT RUNNING (last status \(RelativeTime.ago(status.updatedAt, now: seen)))"
                print("smokegated  \(state)")
                print(
                    "started     \(RelativeTime.ago(status.startedAt, now: now)) (pid \(status.pid), client id \(status.clientID))"
                )
                print(
                    "received    \(status.received) messages: \(status.heartbeats) heartbeats, \(status.events) events stored, \(status.duplicates) redeliveries"
                )
                let formats = status.byFormat.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                if !formats.isEmpty { print("by format   \(formats)") }
                let reasons = status.byReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("rejected    \(status.rejected)" + (reasons.isEmpty ? "" : " (\(reasons))"))
                if let reload {
                    let when = RelativeTime.ago(reload.at, now: now)
                    print(
                        reload.succeeded
                            ? "reloaded    \(when): \(reload.summary)" : "reload      REFUSED \(when): \(reload.summary)")
                    for problem in reload.problems { print("              \(problem)") }
                }
                for filter in refusedFilters {
                    print(
                        "SUBSCRIPTION REFUSED \(filter): \(status.subscriptionsRefused[filter] ?? "refused"); nothing on it is heard"
                    )
                }
                if refusing {
                    print("CALLS REFUSED \(status.refusal ?? "by the broker") (\(status.callsRefused) refused since start)")
                } else if status.callsRefused > 0 {
                    print("calls       \(status.callsRefused) refused by the broker since start, none now")
                }
                if running {
                    for (receiver, problem) in status.receiversInTrouble.sorted(by: { $0.key < $1.key }) {
                        print("RECEIVER \(receiver): \(problem); the street is told of each call it did not deliver")
                    }
                }
                if unregistered > 0 {
                    print(
                        "strangers   \(unregistered) unregistered devices heard, never paged (smokegate devices --unregistered)")
                }
                print("database    \(configuration.postgres?.description ?? configuration.databasePath)")
                if let lease {
                    let remaining = lease.remaining > 0 ? "lease \(Int(lease.remaining.rounded(.up)))s left" : "LEASE EXPIRED"
                    print("cluster     led by \(lease.node) (epoch \(lease.epoch), \(remaining))")
                }
                for node in nodes {
                    let age = Int(now.timeIntervalSince(node.updatedAt).rounded())
                    // A node not heard for a while is gone whatever its last row says.
                    let role = Double(age) > Self.staleAfter ? "NOT RUNNING (last: \(node.role))" : node.role
                    print(
                        "  \(node.node): \(role), pid \(node.pid), \(node.connected ? "connected" : "NOT CONNECTED"), "
                            + "\(node.received) received, seen \(age)s ago")
                }
            }
        }
    }
}
