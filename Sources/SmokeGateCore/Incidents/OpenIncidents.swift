/// The unresolved incidents an event of one detector can touch, as the store (or a test
/// desk) found them. Which of them the event goes to is decided here, once, so that every
/// implementation of the rules picks the same incident.
public struct OpenIncidents: Sendable, Equatable {
    /// Unresolved incidents the detector belongs to (its own, and fires it joined at its
    /// venue), oldest first.
    public var ofDevice: [Incident]
    /// Unresolved fires at the detector's venue that it does not belong to, oldest first.
    public var atVenue: [Incident]

    public init(ofDevice: [Incident] = [], atVenue: [Incident] = []) {
        self.ofDevice = ofDevice
        self.atVenue = atVenue
    }

    /// The fire a detector's events go to (rule 13): its live fire, one no silence hides,
    /// the newest if there were ever two. A fire a silence hides gets them only when there is
    /// no live one and `orSilenced` (the detector is silenced now, or the event opens
    /// nothing: a clear or a mute is recorded where it can be).
    public func fire(orSilenced: Bool) -> Incident? {
        let fires = ofDevice.filter { $0.kind == .fire }
        if let live = fires.last(where: { !$0.isSilenced }) { return live }
        return orSilenced ? fires.last : nil
    }

    /// The detector's unresolved maintenance job of `kind`, if it has one.
    public func job(_ kind: IncidentKind) -> Incident? {
        ofDevice.first { $0.kind == kind }
    }

    /// The venue's oldest live fire of another detector: the one a second detector joins
    /// (rule 6). A fire a silence hides is never joined: its detector's silence is not this one's.
    public var liveFireAtVenue: Incident? {
        atVenue.first { $0.kind == .fire && !$0.isSilenced }
    }
}
