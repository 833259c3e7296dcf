import SmokeGateCore
import SmokeGateStore

/// What the console says beside a list of incidents that may be cut (at `--limit`, or at
/// the last row of the screen): how many there are by kind and state, how many rows were
/// left out and how many of those are fires, and how to see them. A list is never cut
/// silently: a fire behind a thousand low-battery jobs must not look like no fire at all.
struct IncidentSummary {
    let counts: Store.IncidentCounts
    let shown: [Incident]
    /// The `--kind` in force, if any.
    let kind: IncidentKind?
    /// Whether resolved incidents were listed too (`--all`).
    let includeResolved: Bool

    /// Every incident the list would hold without a limit.
    var total: Int { includeResolved ? counts.total : counts.count() }

    /// Rows left out.
    var hidden: Int { max(0, total - shown.count) }

    /// Unresolved fires left out (only when there are more of them than rows).
    var hiddenFires: Int {
        max(0, counts.count(kind: .fire) - shown.filter { $0.kind == .fire && $0.isUnresolved }.count)
    }

    /// `3 fire (1 not acknowledged, 1 silenced) · 1,005 low_battery · 2 offline`, and with
    /// `--all` the resolved ones; fires first, then the maintenance kinds in their order.
    var countsLine: String {
        var parts: [String] = []
        for kind in IncidentKind.allCases {
            let count = counts.count(kind: kind)
            guard count > 0 else { continue }
            var details: [String] = []
            if kind == .fire {
                let waiting = counts.count(kind: .fire, state: .open, silenced: false)
                let silenced = counts.count(kind: .fire, silenced: true)
                if waiting > 0 { details.append("\(Self.grouped(waiting)) not acknowledged") }
                if silenced > 0 { details.append("\(Self.grouped(silenced)) silenced") }
            }
            parts.append(
                "\(Self.grouped(count)) \(kind.rawValue)" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"))
        }
        if includeResolved, counts.resolved > 0 { parts.append("\(Self.grouped(counts.resolved)) resolved") }
        let unresolved = counts.count()
        let head = unresolved == 0 ? "no unresolved incidents" : "\(Self.grouped(unresolved)) unresolved"
        return parts.isEmpty ? head : "\(head): " + parts.joined(separator: " · ")
    }

    /// `8 more not shown (none of them fires)`, or nil when nothing was left out.
    var moreText: String? {
        guard hidden > 0 else { return nil }
        let fires = hiddenFires
        let which = includeResolved ? "unresolved fires" : "fires"
        let ofThem = fires == 0 ? "none of them \(which)" : "\(Self.grouped(fires)) of them \(which)"
        return "\(Self.grouped(hidden)) more not shown (\(ofThem))"
    }

    /// The kinds with rows left out, in the order of the list; every kind when resolved
    /// incidents, which are not counted by kind, were left out.
    var hiddenKinds: [IncidentKind] {
        let unresolvedShown = shown.filter(\.isUnresolved)
        if includeResolved, counts.resolved > shown.count - unresolvedShown.count { return IncidentKind.allCases }
        return IncidentKind.allCases.filter { kind in
            counts.count(kind: kind) > unresolvedShown.filter { $0.kind == kind }.count
        }
    }

    /// How to see what was left out: a larger `--limit`, or one kind at a time.
    var hint: String {
        let command = "smokegate alarms" + (includeResolved ? " --all" : "") + (kind.map { " --kind \($0.rawValue)" } ?? "")
        let larger = "\(command) --limit \(total) lists them all"
        let kinds = hiddenKinds.map(\.rawValue)
        guard kind == nil, !kinds.isEmpty else { return larger }
        return kinds.count == 1
            ? "\(larger), or with --kind \(kinds[0]) only that kind"
            : "\(larger), or with --kind \(kinds.joined(separator: "|")) one kind at a time"
    }

    /// `1,005`: counts as the duty desk reads them.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return number < 0 ? "-" + text : text
    }
}
