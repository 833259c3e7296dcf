import Foundation

/// One line of an incident's timeline: the contract's `{at, action, tier?, by?, note?}`.
public struct TimelineEntry: Sendable, Equatable {
    /// What happened.
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// The incident opened.
        case opened
        /// A silence covered the detector or its grid when it opened: nobody is called.
        case silenced
        /// A tier was called (`note` says why, and whether the call was late).
        case called
        /// The same detector alarmed again.
        case alarmRepeated = "alarm_repeated"
        /// Another detector at the same venue alarmed.
        case alarmNearby = "alarm_nearby"
        /// The detector stopped sensing smoke; the ladder goes on.
        case alarmCleared = "alarm_cleared"
        /// Someone muted the detector's sounder (its `mute` event).
        case muted
        /// The detector went offline (burnt, or its network lost it).
        case offline
        /// The same maintenance condition was reported again.
        case repeated
        /// Someone acknowledged: the ladder stopped.
        case acknowledged
        /// The incident was closed, by a person or by the detector's own clear.
        case resolved
        /// New smoke after an acknowledgement: open again, the ladder resumes (rule 5).
        case rearmed
        /// Acknowledged and not resolved, or every tier called and nobody answering, for the
        /// ladder's `reminder`: the tiers called are told again (rule 11).
        case reminded
        /// The silence that hid it ended while what it hid is still true: called now (rule 12).
        case released
        /// A call could not be delivered through one of its receivers (refused for good, an
        /// unknown outcome, or still waiting past its bound); the street was told.
        case callFailed = "call_failed"
    }

    public var at: Date
    public var action: Action
    public var tier: Tier?
    public var by: String?
    public var note: String?
    /// How a person's line came in: `cli`, `link` (an answer link) or `sms` (a reply code);
    /// nil on the gateway's own lines and on lines older than answers from phones.
    public var channel: String?

    public init(at: Date, action: Action, tier: Tier? = nil, by: String? = nil, note: String? = nil, channel: String? = nil) {
        self.at = at
        self.action = action
        self.tier = tier
        self.by = by
        self.note = note
        self.channel = channel
    }
}

extension TimelineEntry.Action {
    /// The action a stored line names, under its name today or an older one (`shielded`
    /// became `silenced`, `silent` became `offline`); nil for a name this version does not know.
    public init?(stored name: String) {
        switch name {
        case "shielded": self = .silenced
        case "silent": self = .offline
        default: self.init(rawValue: name)
        }
    }

    /// Whether the line belongs to the incident's summary, kept for good once the incident's
    /// detail passes `retention.incidents`: how it opened, who was called and why, who else
    /// alarmed, who acknowledged, who resolved it and with which cause. The lines that repeat
    /// what is already there (the same alarm or fault again, a reminder, smoke clearing and
    /// returning, a sounder muted) are detail.
    public var summarises: Bool {
        switch self {
        case .opened, .silenced, .called, .alarmNearby, .offline, .acknowledged, .resolved, .rearmed, .released, .callFailed:
            true
        case .alarmRepeated, .alarmCleared, .muted, .repeated, .reminded: false
        }
    }
}
