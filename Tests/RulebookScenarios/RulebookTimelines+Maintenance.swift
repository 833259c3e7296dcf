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
        RulebookTimeline("rule 14: a job of a detector outside the registry goes to the street") { desk in
            try desk.event(.tamper, from: TestStreet.stranger, at: 0)
            #expect(desk.calls == notify([.street], at: 0))
        },
        RulebookTimeline("rule 15: fault, tamper, battery and silence jobs close when the detector says so") { desk in
            try desk.event(.fault, from: "det-1", at: 0)
            try desk.event(.tamper, from: "det-1", at: 10)
            try desk.event(.lowBattery, from: "det-1", at: 20)
            try desk.wentSilent("det-1", at: 30)
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
