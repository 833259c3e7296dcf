import Foundation
import GRDB
import SmokeGateCore

/// One call as the outbox recorded it, for the deliveries written with it.
struct CallOnRecord {
    var outboxID: Int64
    var notification: String
    var incident: Int64
    var tier: Tier
    var unit: String
    var action: DispatchAction
    var priority: OutboxPriority
    var at: Date
}
