import Foundation

/// Everything needed to act on incidents, built once from the configuration: the rules
/// with the ladder in force, and how to address the units of the chain.
public struct IncidentDesk: Sendable {
    public var rules: IncidentRules
    public var composer: NotificationComposer
    /// How maintenance calls are grouped per unit; nil: every call on its own, at once (the
    /// rulebook's tests look at each incident's calls).
    public var grouping: DispatchGrouping?
    /// The receivers the chain's units name: each call is also written as one delivery per
    /// (call, receiver), or per person for texts and voice calls.
    public var receivers: ReceiverBook

    public init(
        ladder: EscalationLadder, directory: ResponseDirectory, topicPrefix: String, grouping: DispatchGrouping? = nil,
        receivers: ReceiverBook = ReceiverBook()
    ) {
        rules = IncidentRules(ladder: ladder)
        composer = NotificationComposer(directory: directory, topicPrefix: topicPrefix)
        self.grouping = grouping
        self.receivers = receivers
    }

    public var directory: ResponseDirectory { composer.directory }
}
