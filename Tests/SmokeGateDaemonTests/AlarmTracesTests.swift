import Testing

@testable import SmokeGateDaemon

/// The alarms' stage timings wait for their calls' PUBACK in a bounded sample: a standby,
/// whose calls another gateway sends, never grows it past its bound.
@Suite struct AlarmTracesTests {
    @Test func theSampleStaysBoundedAndKeepsTheNewestCalls() {
        let traces = AlarmTraces()
        let now = ContinuousClock.now
        let stages = AlarmStages(entered: now, inTurn: now, decoded: now, began: now, written: now, committed: now)
        for call in 1...Int64(10_000) { traces.ingested(stages, calls: [call]) }
        #expect(traces.count <= AlarmTraces.limit)
        #expect(traces.take(10_000) != nil, "the newest call is still traced")
        #expect(traces.take(1) == nil, "the oldest was let go")
        #expect(traces.take(10_000) == nil, "a call is taken once")
        traces.ingested(stages, calls: Array(20_000..<Int64(20_000 + AlarmTraces.limit * 2)))
        #expect(traces.count <= AlarmTraces.limit * 3, "one commit's calls are kept whole, whatever their number")
    }
}
