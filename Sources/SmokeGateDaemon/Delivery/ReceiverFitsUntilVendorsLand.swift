import SmokeGateCore
import SmokeGateReceivers

extension Receiver {
    func fits(_ calls: [CallCard]) -> Bool { calls.count <= 10 }
}
