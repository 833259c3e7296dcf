import Foundation
import SmokeGateCore

extension SupervisionService {
    /// Takes a reloaded registry into the watch: a detector newly listed is watched from now
    /// (the whole `offline_after` of its profile, or from when it was last heard if later: a
    /// stranger, never supervised, starts here); one no longer listed is forgotten as its
    /// deadline comes up. Windows that changed apply from each detector's next deadline on.
    func adopt(
        _ plan: SupervisionPlan, replacing old: SupervisionPlan, watch: inout OfflineWatch, forgotten: inout Set<String>
    ) {
        guard plan.registry != old.registry else { return }
        let now = clock.holdingFrame { clock.now() }
        var added = 0
        for position in plan.registry.indices {
            let id = plan.registry.deviceID(at: position)
            guard old.registry.position(of: id) == nil else { continue }
            forgotten.remove(id)
            if let deadline = memory.expectedBy(id, offlineAfter: plan.offlineAfter(at: position), start: now, now: now) {
                watch.watch(id, until: deadline)
                added += 1
            }
        }
        var removed = 0
        for position in old.registry.indices {
            let id = old.registry.deviceID(at: position)
            guard plan.registry.position(of: id) == nil else { continue }
            forgotten.insert(id)
            removed += 1
        }
        logger.info(
            "supervising the reloaded registry", metadata: ["newly_watched": "\(added)", "forgotten": "\(removed)"])
    }
}
