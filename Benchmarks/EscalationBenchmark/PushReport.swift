import Foundation
import SmokeGateTestSupport

/// Measurement 6's report: what the HTTP path adds to an alarm's grid call, and how fast
/// pushed alarms are committed and answered against MQTT alarms in the same run.
struct PushReport {
    let result: PushLatency.Result
    let measurement: PushLatency

    var complete: Bool {
        result.missing == 0 && result.bursts.allSatisfy { $0.refused == 0 && $0.missingCalls == 0 }
    }

    func print() -> [String] {
        let mqtt = Distribution(result.toMQTT)
        let push = Distribution(result.toPush)
        let answered = Distribution(result.answered)
        Swift.print("   MQTT alarm → grid call:   \(mqtt.summary)")
        Swift.print("   pushed alarm → grid call: \(push.summary)")
        Swift.print("   pushed alarm → its 200:   \(answered.summary)")
        Swift.print(String(format: "   push p99 − MQTT p99: %.1f ms", push.p99 - mqtt.p99))
        var rows = [
            "| MQTT alarm → grid call (heartbeats \(measurement.heartbeatRate)/s) | \(mqtt.count) | \(mqtt.cells) | baseline |",
            "| pushed CTWing alarm → grid call, alternated with them | \(push.count) | \(push.cells) | p99 near the baseline's |",
            "| pushed alarm → its 200 | \(answered.count) | \(answered.cells) | |",
        ]
        let baseline = result.bursts.last.map { Double($0.alarms) / $0.calledSeconds } ?? .nan
        for burst in result.bursts {
            let answeredRate = Double(burst.alarms) / burst.answeredSeconds
            let calledRate = Double(burst.alarms) / burst.calledSeconds
            Swift.print(
                String(
                    format: "   %@: answered %.0f/s (%.2f s), grid calls %.0f/s (%.2f s), %.2f× the MQTT baseline%@",
                    burst.label, answeredRate, burst.answeredSeconds, calledRate, burst.calledSeconds, calledRate / baseline,
                    burst.refused + burst.missingCalls > 0
                        ? ", \(burst.refused) refused, \(burst.missingCalls) calls missing" : ""))
            rows.append(
                String(
                    format: "| %@: alarms/s answered · grid calls/s | %d | %.0f | %.0f | %.2f× MQTT | | |", burst.label,
                    burst.alarms, answeredRate, calledRate, calledRate / baseline))
        }
        return rows
    }
}
