/// The run's shape, every real-world duration divided by the compression.
struct SoakPlan: Sendable {
    var detectors: Int
    var seconds: Double
    var compression: Double
    var alarmEvery: Double
    var sampleEvery: Double

    var heartbeat: Double { 60 / compression }
    var offlineAfter: Double { 300 / compression }
    /// Grid, community, street, station: 0, 3, 10 and 15 minutes, compressed.
    var ladder: [Double] { [0, 180, 600, 900].map { $0 / compression } }
    /// Memory before this is warm-up: every detector heard, the first incidents climbed.
    var warmUp: Double { max(seconds / 4, offlineAfter) }
    /// Alarms go to detectors this far apart, so each is in a venue of its own (the simulator's
    /// venues hold four) and no detector alarms twice.
    var alarmStride: Int { max(4, detectors / (Int(seconds / alarmEvery) + 1)) }
    /// Half the incidents are acknowledged halfway to the community tier.
    var acknowledgeAfter: Double { ladder[1] / 2 }
    /// Every incident is resolved once the station has been called.
    var resolveAfter: Double { ladder[3] + 10 / compression + 5 }
}
