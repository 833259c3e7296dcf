import Foundation
import SmokeGateCore
import Testing

extension RulebookTimelines {
    /// Rules 14 and 15: maintenance jobs.
    static let maintenance: [RulebookTimeline] = [
        RulebookTimeline("rule 14: a fault is a job for the grid; a repeat is a line, and it is never reminded") { desk in
            try desk.event(.fault, from: "det-1", at: 0)
            try desk.event(.fault, from: "det-1", at: 60)
            try desk.advance(to: 5 * 60 * minute)
            #expect(desk.calls == notify([.grid], at: 0))
            #expect(try desk.timeline(1).map(\.action) == [.opened, .called, .repeated])
        },
        RulebookTimeline("rule 14: a job of a registered detector the chain cannot place goes to the street") { desk in
            try desk.event(.tamper, from: TestStreet.misplaced, at: 0)
            #expect(desk.calls == notify([.street], at: 0))
        },
        RulebookTimeline("rule 16: a stranger's maintenance is stored and listed, never a job, never a call") { desk in
            try desk.event(.tamper, from: TestStreet.stranger, at: 0)
            try desk.event(.fault, from: TestStreet.stranger, at: 10)
            try desk.event(.lowBattery, from: TestStreet.stranger, at: 20)
            try desk.event(.offline, from: TestStreet.stranger, at: 30)
            try desk.wentOffline(TestStreet.stranger, at: 40)
            try desk.advance(to: 3 * 3_600)
            #expect(desk.calls.isEmpty)
            #expect(try desk.incidents().isEmpty)
        },
        RulebookTimeline("rule 16: a stranger's alarm is still a fire for every street") { desk in
            try desk.event(.fault, from: TestStreet.stranger, at: 0)
            try desk.event(.alarm, from: TestStreet.stranger, at: 5)
            #expect(desk.calls == notify([.street], at: 5))
            try desk.wentOffline(TestStreet.stranger, at: 60)
            #expect(calls(desk, from: 60).map(\.tier).contains(.station), "offline during its own fire: every tier at once")
            #expect(try desk.incidents().values.map(\.kind) == [.fire])
        },
        RulebookTimeline("rule 15: fault, tamper, battery and silence jobs close when the detector says so") { desk in
            try desk.event(.fault, from: "det-1", at: 0)
            try desk.event(.tamper, from: "det-1", at: 10)
            try desk.event(.lowBattery, from: "det-1", at: 20)
            try desk.wentOffline("det-1", at: 30)
            try desk.event(.faultClear, from: "det-1", at: 40)
            try desk.event(.tamperClear, from: "det-1", at: 50)
            try desk.event(.batteryRestored, from: "det-1", at: 60)
            try desk.heardAgain("det-1", at: 70)
            let incidents = try desk.incidents()
            #expect(incidents.count == 4 && incidents.values.allSatisfy { $0.state == .resolved && $0.resolvedBy == "device" })
            #expect(
                incidents.values.sorted { $0.id < $1.id }.map(\.cause)
                    == ["fault_clear", "tamper_clear", "battery_restored", "heard again"])
            #expect(calls(desk, from: 40).map(\.action) == [.resolve, .resolve, .resolve, .resolve])
        },
    ]
}
