import Foundation
import SmokeGateCore
import SmokeGateTestSupport
import Testing

@testable import SmokeGateStore

/// Retention: old history goes in small batches, recent history and incidents stay.
@Suite struct RetentionTests {
    @Test func oldEventsAndRejectionsArePrunedInBatches() throws {
        let store = try TestDatabase.make(prefix: "retention").open()
        let now = Date(timeIntervalSince1970: 1_795_334_400)
        for day in 0..<30 {
            let time = now.addingTimeInterval(-Double(day) * 86_400)
            let event = DetectorEvent(deviceID: "det-1", kind: .test, format: .native, identity: .stamped("\(day)"))
            try store.commit(
                [IncomingEvent(event: event, topic: "t", payload: "{}", receivedAt: time)],
                state: DeviceLiveState(
                    deviceID: "det-1", format: .native, lastSeenAt: time, reading: DeviceReading(), condition: []), desk: nil)
            try store.record([
                RejectedMessage(
                    receivedAt: time, topic: "t", format: .native, rejection: Rejection(.invalidJSON, "bad"), payload: [0x7B])
            ])
        }
        // Keep ten days of events and five of rejections, eight rows at a time.
        var batches = 0
        while try store.prune(
            eventsBefore: now.addingTimeInterval(-9.5 * 86_400), rejectedBefore: now.addingTimeInterval(-4.5 * 86_400), limit: 8)
            > 0
        {
            batches += 1
        }
        #expect(batches == 4, "20 events and 25 rejections, at most 8 of each a batch")
        #expect(try store.events().count == 10)
        #expect(try store.rejectedMessages().count == 5)
    }
}
