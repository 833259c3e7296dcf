import Foundation
import SmokeGateCore
import SmokeGateStore
import Testing

/// Seeded random sequences of silences, returns, faults, alarms and answers across two grids,
/// played on the real store with grouping on; after each the promises of field rule 6 hold:
/// fires are never grouped, a unit's last message is the truth once things settle, updates of
/// a group keep their spacing, and no job out longer than `wait` + `interval` goes untold.
/// `SMOKEGATE_GROUP_PROPERTY_RUNS` sets how many (60 in `make test`); `SMOKEGATE_PROPERTY_SEED`
/// replays one.
@Suite struct GroupedDispatchPropertyTests {
    static var seeds: [UInt64] {
        let environment = ProcessInfo.processInfo.environment
        if let seed = environment["SMOKEGATE_PROPERTY_SEED"].flatMap(UInt64.init) { return [seed] }
        let runs = environment["SMOKEGATE_GROUP_PROPERTY_RUNS"].flatMap(Int.init) ?? 60
        return (0..<UInt64(runs)).map { 0x6A0F_0000 + $0 }
    }

    @Test func groupedMessagesKeepEveryPromise() throws {
        var failures: [String] = []
        for seed in Self.seeds {
            var desk = try GroupDesk()
            defer { desk.discard() }
            do {
                try Self.play(seed: seed, on: &desk)
                let problems = try Self.check(desk)
                if !problems.isEmpty { failures.append("seed \(seed): " + problems.joined(separator: "; ")) }
            } catch {
                failures.append("seed \(seed): \(error)")
            }
            if failures.count >= 3 { break }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Sixty random steps, then time enough for every group to settle.
    static func play(seed: UInt64, on desk: inout GroupDesk) throws {
        var random = SplitMix64(seed: seed)
        let devices = GroupDesk.devices.map(\.deviceID)
        var unheard: Set<String> = []
        var t: TimeInterval = 0
        for _ in 0..<60 {
            t += [0, 0.5, 1, 3, 10, 30, 70].randomElement(using: &random)!
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<30:
                let some = Array(
                    devices.filter { !unheard.contains($0) }.shuffled(using: &random)
                        .prefix(Int.random(in: 1...8, using: &random))
                )
                try desk.wentOffline(some, at: t)
                unheard.formUnion(some)
            case 30..<50:
                let some = Array(unheard.sorted().shuffled(using: &random).prefix(Int.random(in: 1...8, using: &random)))
                try desk.heard(some, at: t)
                unheard.subtract(some)
            case 50..<60:
                try desk.event(.fault, from: devices.randomElement(using: &random)!, at: t)
            case 60..<68:
                try desk.event(.faultClear, from: devices.randomElement(using: &random)!, at: t)
            case 68..<72:
                try desk.event(.alarm, from: devices.randomElement(using: &random)!, at: t)
            case 72..<86:
                if let job = try desk.store.incidents().filter({ $0.kind != .fire && $0.state == .open }).randomElement(
                    using: &random)
                {
                    try desk.acknowledge(job.id, at: t)
                }
            default:
                if let job = try desk.store.incidents().filter({ $0.kind != .fire }).randomElement(using: &random) {
                    try desk.resolve(job.id, at: t)
                }
            }
        }
        try desk.advance(to: t + GroupDesk.grouping.wait + GroupDesk.grouping.interval + 1)
    }

    static func check(_ desk: GroupDesk) throws -> [String] {
        var problems: [String] = []
        let sent = try desk.messages()
        let grouping = GroupDesk.grouping
        // Fires are never grouped; maintenance always is.
        for message in sent where (message.kind == "fire") == (message.group != nil) {
            problems.append("grouped wrongly: \(message)")
        }
        let jobs = try desk.store.incidents(includeResolved: true).filter { $0.kind != .fire }
        let byGroup = Dictionary(grouping: sent.filter { $0.group != nil }, by: { $0.group! })
        for (_, messages) in byGroup {
            // Updates keep their spacing: two notify messages in a row are an interval apart.
            for (earlier, later) in zip(messages, messages.dropFirst())
            where earlier.action == "notify" && later.action == "notify" && later.at - earlier.at < grouping.interval - 0.001 {
                problems.append("updates too close: \(earlier) then \(later)")
            }
            // Settled: the last message tells exactly the detectors whose jobs are out.
            let last = messages.last!
            let unit = last.topic.split(separator: "/").last.map(String.init) ?? ""
            let out = Set(
                jobs.filter { $0.state != .resolved && $0.kind.rawValue == last.kind && $0.site.gridID == unit }.map(
                    \.site.deviceID))
            if last.detectors != out { problems.append("last message \(last) but out: \(out.sorted())") }
            if out.isEmpty != (last.action == "resolve") { problems.append("last message's action is wrong: \(last)") }
        }
        // No job out for `wait` + `interval` goes untold.
        for job in jobs {
            let openedAt = job.openedAt.timeIntervalSince(GroupDesk.start)
            let outUntil = (job.resolvedAt?.timeIntervalSince(GroupDesk.start)) ?? .infinity
            let deadline = openedAt + grouping.wait + grouping.interval
            guard outUntil > deadline + 0.001 else { continue }
            let told = sent.contains {
                $0.kind == job.kind.rawValue && $0.at <= deadline + 0.001 && $0.at >= openedAt
                    && $0.detectors.contains(job.site.deviceID)
            }
            if !told { problems.append("job \(job.id) of \(job.site.deviceID) out since \(openedAt)s never told") }
        }
        return problems
    }
}
