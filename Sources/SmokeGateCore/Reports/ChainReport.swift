import Foundation

/// The street's look back (回头看) at how its chain performed: per grid and per community,
/// how many fires, what they turned out to be, how fast people answered, and the state of
/// the detectors. Pure: the store supplies the facts, the caller the time window.
public struct ChainReport: Sendable, Equatable {
    /// The causes reports count; anything else an operator wrote is `other`.
    public static let causes = ["false_alarm", "cooking", "test", "real_fire", "device_fault", "other"]
    /// The response circles the shares are counted against: 3, 10 and 15 minutes.
    public static let circles: [TimeInterval] = [180, 600, 900]

    /// One fire incident as the report needs it.
    public struct Fire: Sendable, Equatable {
        public var gridID: String?
        public var communityID: String?
        public var openedAt: Date
        /// When a person first answered: the acknowledgement, or a resolution by a person
        /// without one. Nil while nobody has.
        public var answeredAt: Date?
        /// The cause it was resolved with; nil while unresolved.
        public var cause: String?

        public init(gridID: String?, communityID: String?, openedAt: Date, answeredAt: Date?, cause: String?) {
            self.gridID = gridID
            self.communityID = communityID
            self.openedAt = openedAt
            self.answeredAt = answeredAt
            self.cause = cause
        }
    }

    /// One registered detector as the report needs it.
    public struct Detector: Sendable, Equatable {
        public var gridID: String
        /// Not heard past its profile's `offline_after`, or never heard.
        public var offline: Bool
        /// No test button press (or platform test) in the last 30 days.
        public var untested: Bool

        public init(gridID: String, offline: Bool, untested: Bool) {
            self.gridID = gridID
            self.offline = offline
            self.untested = untested
        }
    }

    /// The figures of one unit (a grid, a community, or the whole street).
    public struct Row: Sendable, Equatable {
        public var unit: String
        public var fireAlarms = 0
        public var unresolved = 0
        /// Resolved fires per cause (every cause of `causes`, zero included).
        public var resolutions: [String: Int] = Dictionary(uniqueKeysWithValues: ChainReport.causes.map { ($0, 0) })
        /// Seconds from opening to the first answer, over the fires answered.
        public var answerMedian: TimeInterval?
        public var answerP90: TimeInterval?
        /// Share of the fires answered within each of `circles` (over all fires, answered or not).
        public var answeredWithin: [Double] = ChainReport.circles.map { _ in 0 }
        public var detectors = 0
        public var offlineNow = 0
        public var untested30d = 0

        init(unit: String) { self.unit = unit }
    }

    public var grids: [Row]
    public var communities: [Row]
    public var total: Row

    /// Builds the report; `communityOf` places a grid in its community.
    public init(fires: [Fire], detectors: [Detector], gridIDs: [String], communityOf: (String) -> String?) {
        func build(_ unit: String, _ fires: [Fire], _ detectors: [Detector]) -> Row {
            var row = Row(unit: unit)
            row.fireAlarms = fires.count
            let answers = fires.compactMap { fire in fire.answeredAt.map { $0.timeIntervalSince(fire.openedAt) } }.sorted()
            row.answerMedian = Self.percentile(answers, 0.5)
            row.answerP90 = Self.percentile(answers, 0.9)
            if !fires.isEmpty {
                row.answeredWithin = Self.circles.map { circle in
                    Double(answers.filter { $0 <= circle }.count) / Double(fires.count)
                }
            }
            for fire in fires {
                guard let cause = fire.cause else {
                    row.unresolved += 1
                    continue
                }
                row.resolutions[Self.normalised(cause), default: 0] += 1
            }
            row.detectors = detectors.count
            row.offlineNow = detectors.filter(\.offline).count
            row.untested30d = detectors.filter(\.untested).count
            return row
        }
        let communityIDs = gridIDs.compactMap(communityOf).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        grids = gridIDs.map { grid in
            build(grid, fires.filter { $0.gridID == grid }, detectors.filter { $0.gridID == grid })
        }
        communities = communityIDs.map { community in
            build(
                community, fires.filter { $0.communityID == community },
                detectors.filter { communityOf($0.gridID) == community })
        }
        total = build("all", fires, detectors)
    }

    /// `cause` as one of `causes`: case, spaces and hyphens do not matter.
    public static func normalised(_ cause: String) -> String {
        let key = cause.lowercased().trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        return causes.contains(key) ? key : "other"
    }

    /// The nearest-rank percentile of sorted values, or nil for none.
    static func percentile(_ sorted: [TimeInterval], _ fraction: Double) -> TimeInterval? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
