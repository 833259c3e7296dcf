import Foundation
import SmokeGateCore
import SmokeGateStore
import Testing

/// Seeded random sequences of alarms, clears, low batteries, answers, time passing, and
/// vendors answering each attempt at random (delivered, retry, rate-limited, refused, lost),
/// played on the real store as the delivery lanes and the failure watch drive it. After every
/// step: nothing is paged after an answer, one thread's messages reach a receiver in the order
/// they were made, fires come first, and every call that cannot be delivered is told to the
/// street exactly once. `SMOKEGATE_DELIVERY_PROPERTY_RUNS` sets how many (40 in `make test`);
/// `SMOKEGATE_PROPERTY_SEED` replays one.
@Suite struct DeliveryPropertyTests {
    static var seeds: [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let seed = environment["SMOKEGATE_PROPERTY_SEED"].flatMap(UInt64.init) { return [seed] }
        let runs = environment["SMOKEGATE_DELIVERY_PROPERTY_RUNS"].flatMap(Int.init) ?? 40
        return (0..<UInt64(runs)).map { 0xDE11_0000 + $0 }
    }

    static let receivers = ["robot", "sms", "desk-hook"]

    /// What a run saw go out, per receiver thread: (delivery id, when), in the order sent.
    struct Log {
        var sent: [String: [(id: Int64, at: TimeInterval)]] = [:]
    }

    @Test func deliveriesKeepEveryPromiseAfterEveryStep() throws {
        var failures: [String] = []
        for seed in Self.seeds {
            do {
                let problems = try Self.play(seed: seed)
                if !problems.isEmpty { failures.append("seed \(seed): " + problems.prefix(3).joined(separator: "; ")) }
            } catch {
                failures.append("seed \(seed): \(error)")
            }
            if failures.count >= 3 { break }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Eighty random steps; the promises checked after each. Returns what broke.
    static func play(seed: UInt64) throws -> [String] {
        var random = SplitMix64(seed: seed)
        let street = try DeliveryStreet(prefix: "deliveries-property")
        var now: TimeInterval = 0
        var seq = 0
        var log = Log()
        var problems: [String] = []
        for _ in 0..<80 {
            seq += 1
            switch Int.random(in: 0..<10, using: &random) {
            case 0, 1: try street.report("fire-a", .alarm, at: now, seq: seq)
            case 2: try street.report("fire-a", .alarmClear, at: now, seq: seq)
            case 3: try street.report("m-1", Bool.random(using: &random) ? .lowBattery : .heartbeat, at: now, seq: seq)
            case 4, 5:
                let open = try street.store.incidents(includeResolved: false, limit: 10).map(\.id)
                if let id = open.randomElement(using: &random) {
                    if Bool.random(using: &random) {
                        _ = try? street.store.acknowledge(id, by: "王伟", note: nil, at: street.at(now), desk: street.desk)
                    } else {
                        _ = try? street.store.resolve(
                            id, by: "王伟", cause: "cooking", note: nil, at: street.at(now), desk: street.desk)
                    }
                }
            case 6: now += Double.random(in: 1...40, using: &random)
            default:
                let receiver = receivers.randomElement(using: &random)!
                problems += try attempt(receiver, at: now, street: street, log: &log, random: &random)
            }
            now += Double.random(in: 0.05...2, using: &random)
            _ = try street.store.reportFailedDeliveries(at: street.at(now), desk: street.desk)
            problems += try check(street, at: now, log: log)
            if !problems.isEmpty { return problems }
        }
        return problems
    }

    /// One pass of `receiver`'s lane: what is due, a `notify` answered since it was made left
    /// unsent, the rest answered by the vendor at random.
    static func attempt(
        _ receiver: String, at now: TimeInterval, street: DeliveryStreet, log: inout Log, random: inout SplitMix64
    ) throws -> [String] {
        var problems: [String] = []
        let due = try street.store.dueDeliveries(receiver: receiver, at: street.at(now), limit: 100)
        // Fires first.
        if due.map(\.priority) != due.map(\.priority).sorted() { problems.append("\(receiver): maintenance before a fire") }
        var attempts: [DeliveryAttempt] = []
        for delivery in due {
            guard let incident = try street.store.incident(delivery.incident) else {
                problems.append("delivery \(delivery.id) for a missing incident")
                continue
            }
            let answeredAfter = [incident.ackedAt, incident.resolvedAt].compactMap { $0 }.contains { $0 > delivery.createdAt }
            if delivery.answeredSince != answeredAfter { problems.append("answeredSince wrong for delivery \(delivery.id)") }
            if delivery.action == "notify", delivery.answeredSince {
                attempts.append(DeliveryAttempt(id: delivery.id, attempts: delivery.attempts, outcome: nil))
                continue
            }
            let outcome: DeliveryOutcome =
                switch Int.random(in: 0..<10, using: &random) {
                case 0...4: .delivered(detail: nil)
                case 5, 6: .retryLater("busy")
                case 7: .rateLimited(until: street.at(now + 30), "too fast")
                case 8: .refused("bad key")
                default: .unknown("answer lost")
                }
            if case .delivered = outcome {
                log.sent[thread(delivery), default: []].append((delivery.id, now))
            }
            attempts.append(DeliveryAttempt(id: delivery.id, attempts: delivery.attempts, outcome: outcome))
        }
        try street.store.recordDeliveries(attempts, at: street.at(now))
        return problems
    }

    static func thread(_ delivery: PendingDelivery) -> String {
        "\(delivery.receiver)/\(delivery.incident)/\(delivery.unit)/\(delivery.contact?.phone ?? "")"
    }

    /// The promises, read back from the store.
    static func check(_ street: DeliveryStreet, at now: TimeInterval, log: Log) throws -> [String] {
        var problems: [String] = []
        // One thread's deliveries reach the vendor in the order they were made.
        for (thread, sent) in log.sent where sent.map(\.id) != sent.map(\.id).sorted() {
            problems.append("\(thread): sent out of order \(sent.map(\.id))")
        }
        let incidents = try street.store.incidents(includeResolved: true, limit: 1_000)
        for incident in incidents {
            let deliveries = try street.store.deliveries(of: incident.id)
            let told = deliveries.filter { $0.failureToldAt != nil }.count
            let lines = try street.store.timeline(of: incident.id).filter { $0.action == .callFailed }.count
            // Every call that cannot be delivered is on the timeline, once.
            if lines != told { problems.append("incident \(incident.id): \(told) failures told, \(lines) timeline lines") }
            for delivery in deliveries {
                let ended = delivery.state == "refused" || delivery.state == "unknown"
                let priority: OutboxPriority = incident.kind == .fire ? .fire : .maintenance
                let action = DispatchAction(rawValue: delivery.action) ?? .notify
                let late =
                    delivery.state == "waiting"
                    && DeliveryPolicy.bound(priority: priority, action: action).map {
                        now - delivery.createdAt.timeIntervalSince(street.t0) >= $0
                    } == true
                if (ended || late), delivery.failureToldAt == nil {
                    problems.append(
                        "incident \(incident.id): \(delivery.action) via \(delivery.receiver) failed, street not told")
                }
                if delivery.state == "skipped", delivery.action != "notify" {
                    problems.append("incident \(incident.id): an \(delivery.action) notice was left unsent")
                }
            }
        }
        return problems
    }
}
