import Foundation
import GRDB
import RulebookScenarios
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// One outbox row as a unit receives it.
struct SentMessage: CustomStringConvertible {
    var at: TimeInterval
    var topic: String
    var action: String
    var kind: String
    /// The group's id, for a grouped message.
    var group: Int64?
    var detectors: Set<String>
    var returned: [String]

    var description: String {
        "\(action) \(kind) \(topic) at \(at)s group \(group.map(String.init) ?? "-"): \(detectors.sorted()) back \(returned)"
    }
}
