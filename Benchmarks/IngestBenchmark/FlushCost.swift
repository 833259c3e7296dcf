import Foundation
import SmokeGateCore
import SmokeGateStore
import SmokeGateTestSupport

/// One heartbeat batch written to a real database file: what the flusher costs per device.
enum FlushCost {
    static func measure(devices: Int, rounds: Int = 10) throws -> Double {
        let store = try Store(path: try TemporaryFolder.make(prefix: "flush").appendingPathComponent("smokegate.db").path)
        var total = 0.0
        for round in 0..<rounds {
            let now = Date()
            let states = (0..<devices).map {
                DeviceLiveState(
                    deviceID: String(format: "SIM-%06d", $0), format: .native, lastSeenAt: now,
                    reading: DeviceReading(battery: 50 + round, signal: -60), condition: [])
            }
            let start = DispatchTime.now().uptimeNanoseconds
            try store.flush(states)
            total += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        return total / Double(rounds * devices)
    }
}
