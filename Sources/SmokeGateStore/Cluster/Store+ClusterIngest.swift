import Foundation
import SmokeGateCore

/// Ingest in a cluster: every node holds its own broker session and commits every message it
/// hears into the one shared store, so most events arrive once per node. The first copy
/// committed is stored; each later copy from another node is recognised as that event's echo
/// and not stored again, so an alarm opens one incident and makes one call however many
/// gateways heard it.
///
/// The rule, for a node's copy of an event, once the redelivery rules of `commit` have spoken:
/// it is an echo of the oldest event of the same device, kind and `dedupe_key`, stored by
/// another node, received within the window of this copy's reception, that this node has not
/// matched yet; finding one writes the `event_echo` row for (that event, this node).
/// - One copy matches one event, and one event one copy per node: a detector's identical
///   repeats stay as many events as any one node heard.
/// - Without an unmatched twin the copy is stored, whatever it repeats: when in doubt, it is a
///   fire (field rule 4). At worst a late copy is stored twice, never an alarm dropped.
/// - The window reaches either side of the reception: the nodes stamp a message with their
///   own clocks as it arrives, and the node that commits second may hold the earlier stamp.
extension Store {
    /// How far apart two nodes may stamp their copies of one message: both hear it from the
    /// broker within milliseconds, but one may wait for the cluster's write lock or a slow disk,
    /// and their clocks differ a little. Kept short because an identical repeat within it that
    /// only the other node heard is taken for this copy's twin.
    public static let clusterEchoWindow: TimeInterval = 30

    /// The window for a copy that may be a redelivery (`mayBeRedelivery`: QoS 1 in the first
    /// moments of a resumed broker session): a node back from a restart, a failover or a
    /// network cut is handed what its session queued while it was away, minutes after the
    /// other nodes stored it. Fifteen minutes covers a restart or a host's reboot; a node away
    /// longer stores its late copies again (a duplicate line, never a lost alarm).
    public static let clusterCatchUpWindow: TimeInterval = 15 * 60

    /// Whether `incoming` is this node's copy of an event another node stored (see the rule
    /// above); if so the match is written, in the same statement that finds it.
    ///
    /// `redelivered`: the redelivery rules already dropped it. Its twin is still marked as
    /// matched by this node, so that the twin is not left for a later, new copy to match.
    /// Only the match is written then; the decision stays the redelivery rules'.
    func isEchoOfAnotherNode(_ incoming: IncomingEvent, node: String, redelivered: Bool, _ db: any SQLConnection) throws
        -> Bool
    {
        let event = incoming.event
        // A stamp stored nowhere within `stampedWindow` has no twin to find.
        if event.identity.isStamped && !redelivered { return false }
        let window = incoming.mayBeRedelivery ? Self.clusterCatchUpWindow : Self.clusterEchoWindow
        let at = incoming.receivedAt.epoch
        // `node <> ?` also leaves out events stored by a gateway on its own (node NULL).
        try db.cachedStatement(
            sql: """
                INSERT INTO event_echo (event_id, node, at)
                SELECT id, ?, ? FROM event
                WHERE device_id = ? AND kind = ? AND dedupe_key = ? AND received_at >= ? AND received_at <= ? AND node <> ?
                  AND NOT EXISTS (SELECT 1 FROM event_echo WHERE event_echo.event_id = event.id AND event_echo.node = ?)
                ORDER BY received_at, id LIMIT 1
                """
        ).execute(arguments: [
            node, at, event.deviceID, event.kind.rawValue, event.identity.key, at - window, at + window, node, node,
        ])
        return try db.changesCount > 0
    }
}
