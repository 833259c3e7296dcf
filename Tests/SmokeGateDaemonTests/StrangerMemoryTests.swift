import Foundation
import SmokeGateCore
import Testing

@testable import SmokeGateDaemon

/// Rule 16: ids nobody registered cannot grow the gateway's memory without bound, and are
/// forgotten when no longer heard.
@Suite struct StrangerMemoryTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)
    let registry = DeviceRegistry([
        RegisteredDevice(deviceID: "det-1", gridID: "g1", address: "", venue: "", venueType: "", profile: "default")
    ])

    func heard(_ id: String, at seconds: TimeInterval, in memory: DeviceMemory) {
        memory.apply(DecodedMessage(deviceID: id, format: .native), receivedAt: t0.addingTimeInterval(seconds), flushLater: true)
    }

    @Test func strangersPastTheBoundAreCountedNotKeptAndReportedOnce() throws {
        let memory = try DeviceMemory(registry: registry, strangersKept: 3)
        for (index, id) in ["s-1", "s-2", "s-3"].enumerated() {
            #expect(memory.admits(id) == (true, false))
            heard(id, at: Double(index), in: memory)
        }
        #expect(memory.admits("s-4") == (false, true), "turned away, and this is the one to report")
        #expect(memory.admits("s-5") == (false, false), "reported once per flood")
        #expect(memory.admits("s-2") == (true, false), "a stranger already kept is still heard")
        #expect(memory.admits("det-1") == (true, false), "a registered detector always is")
        #expect(memory.strangerCount == 3)
        #expect(memory.counters.strangersOverflow == 2)
    }

    @Test func strangersNotHeardForAWeekAreForgottenAndMakeRoom() throws {
        let memory = try DeviceMemory(registry: registry, strangersKept: 2)
        heard("old", at: 0, in: memory)
        heard("recent", at: 6 * 86_400, in: memory)
        _ = memory.takeBatch()  // flushed: nothing pending
        #expect(memory.forgetStrangers(notHeardSince: t0.addingTimeInterval(86_400)) == 1)
        #expect(memory.strangerCount == 1)
        #expect(memory.admits("new") == (true, false), "room again")
    }
}
