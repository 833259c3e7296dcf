import Foundation
import SmokeGateTestSupport

/// Measurement 5's report: what the delivery lane adds to a call, and whether a slow provider
/// delays another receiver's calls.
struct ReceiverReport {
    let result: ReceiverLatency.Result
    let measurement: ReceiverLatency

    var complete: Bool { result.missing == 0 && result.burstMissing == 0 }

    func print() -> [String] {
        let mqtt = Distribution(result.toMQTT)
        let hook = Distribution(result.toWebhook)
        let added = Distribution(zip(result.toWebhook, result.toMQTT).map { $0 - $1 })
        let fast = Distribution(result.burstFast)
        let slow = Distribution(result.burstSlow)
        Swift.print("   alarm → MQTT grid call: \(mqtt.summary)")
        Swift.print("   alarm → grid webhook:   \(hook.summary)")
        Swift.print(String(format: "   webhook p99 − MQTT p99: %.1f ms (target: at most 10 ms)", hook.p99 - mqtt.p99))
        Swift.print("   burst, texts answered at once: webhook \(fast.summary)")
        Swift.print(
            "   burst, texts answered in \(measurement.slowSeconds) s: webhook \(slow.summary); "
                + "\(result.textsTakenMeanwhile) texts taken by then")
        Swift.print(String(format: "   webhook p99 with the slow provider / without: %.2f×", slow.p99 / fast.p99))
        if result.missing > 0 || result.burstMissing > 0 {
            Swift.print("   MISSING: \(result.missing) alarms without both calls, \(result.burstMissing) burst webhooks")
        }
        return [
            "| alarm → MQTT grid call (heartbeats \(measurement.heartbeatRate)/s) | \(mqtt.count) | \(mqtt.cells) | baseline |",
            "| alarm → grid webhook double, same alarms | \(hook.count) | \(hook.cells) | p99 ≤ MQTT p99 + 10 ms |",
            "| webhook − MQTT, per alarm | \(added.count) | \(added.cells) | |",
            "| \(measurement.burst) fires at once → webhook, texts answered at once | \(fast.count) | \(fast.cells) | baseline |",
            "| \(measurement.burst) fires at once → webhook, texts answered in \(Int(measurement.slowSeconds)) s | \(slow.count) | \(slow.cells) | p99 ≈ baseline |",
        ]
    }
}

/// Runs async work from the benchmark's synchronous entry point, on a thread of its own.
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: Result<T, any Error>?
    Task {
        do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
        done.signal()
    }
    done.wait()
    return try outcome!.get()
}
