import SmokeGateConfig
import SmokeGateCore

/// What a reload put in force, and what it found changed that only a restart applies.
public struct ReloadReport: Sendable, CustomStringConvertible {
    /// Settings that took effect at once: `response chain`, `device registry`, `escalation`,
    /// `supervision`, `dispatch.topic_prefix`.
    public var applied: [String] = []
    /// Settings that changed but are read only at start: `broker`, `database` (a path, a
    /// PostgreSQL location or its password), `cluster`, `sources` (topics and push paths),
    /// `thing_models`, `http`, `retention`, `receivers`, `answer`.
    public var needsRestart: [String] = []
    /// Detectors the new registry adds, drops, and lists with other fields.
    public var added = 0
    public var removed = 0
    public var changed = 0

    /// Compares the configuration in force with the one just read.
    init(from old: GatewayConfiguration, to new: GatewayConfiguration) {
        if old.chain != new.chain { applied.append("response chain") }
        if old.devices.fingerprint != new.devices.fingerprint {
            applied.append("device registry")
            for device in new.devices {
                if let before = old.devices.device(device.deviceID) {
                    if before != device { changed += 1 }
                } else {
                    added += 1
                }
            }
            removed = old.devices.count - (new.devices.count - added)
        }
        if old.ladder != new.ladder { applied.append("escalation") }
        if old.profiles != new.profiles { applied.append("supervision") }
        if old.dispatchTopicPrefix != new.dispatchTopicPrefix { applied.append("dispatch.topic_prefix") }
        if old.broker != new.broker { needsRestart.append("broker") }
        // The store is opened once; a new PostgreSQL location or password file's content too.
        if old.databasePath != new.databasePath || old.postgres != new.postgres { needsRestart.append("database") }
        // The node's name is in the lease row and the broker session, its lease in the election's timers.
        if old.cluster != new.cluster { needsRestart.append("cluster") }
        // Topics are subscribed and push paths routed at start; the decoders' code tables too.
        if old.sources != new.sources || old.pushSources != new.pushSources { needsRestart.append("sources") }
        if old.thingModels != new.thingModels { needsRestart.append("thing_models") }
        if old.http != new.http { needsRestart.append("http") }
        if old.retention != new.retention { needsRestart.append("retention") }
        // Each receiver has its lane from the start; until the restart, a delivery for a
        // receiver added now waits, and past its bound the street is told.
        if old.receivers != new.receivers { needsRestart.append("receivers") }
        if old.answer != new.answer { needsRestart.append("answer") }
    }

    public var description: String {
        var parts: [String] = []
        if applied.isEmpty {
            parts.append("nothing to apply")
        } else {
            let registry = applied.contains("device registry") ? " (\(added) added, \(removed) removed, \(changed) changed)" : ""
            parts.append("applied: " + applied.joined(separator: ", ") + registry)
        }
        if !needsRestart.isEmpty {
            parts.append("changed; takes effect at the next restart: " + needsRestart.joined(separator: ", "))
        }
        return parts.joined(separator: "; ")
    }
}
