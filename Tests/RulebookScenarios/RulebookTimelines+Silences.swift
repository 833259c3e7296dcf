import Foundation
import SmokeGateCore
import Testing

extension RulebookTimelines {
    /// Rules 12 and 13: what a silence hides, and what it must not swallow.
    static let silences: [RulebookTimeline] = [
        RulebookTimeline("rule 12: a fire under a silence calls nobody and escalates no neighbour") { desk in
            try desk.addSilence(.device("det-1"), from: 0, until: 60 * minute)
            try desk.event(.alarm, from: "det-1", at: 60)
            try desk.event(.alarm, from: "det-2", at: 90)
            try desk.advance(to: 10 * minute)
            #expect(try desk.incident(1).isSilenced)
            #expect(desk.calls == notify([.grid], at: 90, incident: 2) + notify([.community], at: 270, incident: 2))
        },
        RulebookTimeline("rule 12: a fire that began under a silence and still burns is called when it ends") { desk in
            try desk.addSilence(.device("det-1"), from: 0, until: 10 * minute)
            try desk.event(.alarm, from: "det-1", at: 60)
            try desk.advance(to: 14 * minute)
            #expect(desk.calls == notify([.grid], at: 10 * minute) + notify([.community], at: 13 * minute))
            let fire = try desk.incident(1)
            #expect(!fire.isSilenced && fire.state == .open)
            #expect(try desk.timeline(1).contains { $0.action == .released })
        },
        RulebookTimeline("rule 12: lifting a silence releases what it hid at once") { desk in
            let silence = try desk.addSilence(.grid("g1"), from: 0, until: 60 * minute)
            try desk.event(.alarm, from: "det-4", at: 60)
            try desk.event(.fault, from: "det-1", at: 70)
            try desk.liftSilence(silence, at: 5 * minute)
            #expect(
                calls(desk, from: 5 * minute) == notify([.grid], at: 5 * minute) + notify([.grid], at: 5 * minute, incident: 2))
        },
        RulebookTimeline("rule 12: what a silence hid and is over stays recorded, nobody called") { desk in
            try desk.addSilence(.device("det-1"), from: 0, until: 10 * minute)
            try desk.event(.alarm, from: "det-1", at: 60)
            try desk.event(.alarmClear, from: "det-1", at: 120)
            try desk.advance(to: 30 * minute)
            #expect(desk.calls.isEmpty)
            #expect(try desk.incident(1).isSilenced && desk.incident(1).isUnresolved)
        },
        RulebookTimeline("rule 12: a fire still hidden by a second silence waits for that one") { desk in
            try desk.addSilence(.device("det-1"), from: 0, until: 10 * minute)
            try desk.addSilence(.grid("g1"), from: 0, until: 20 * minute)
            try desk.event(.alarm, from: "det-1", at: 60)
            try desk.advance(to: 15 * minute)
            #expect(desk.calls.isEmpty)
            try desk.advance(to: 21 * minute)
            #expect(desk.calls == notify([.grid], at: 20 * minute))
        },
        RulebookTimeline("rule 12: an incident opened before a silence is not affected by it") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.addSilence(.device("det-1"), from: 60, until: 60 * minute)
            try desk.advance(to: 4 * minute)
            #expect(desk.calls == notify([.grid], at: 0) + notify([.community], at: 180))
        },
        RulebookTimeline("rule 13: an old hidden fire does not swallow the events of a real one") { desk in
            // A fire hidden by a silence is left open; the silence ends with the detector clear.
            try desk.addSilence(.device("det-1"), from: 0, until: 5 * minute)
            try desk.event(.alarm, from: "det-1", at: 60)
            try desk.event(.alarmClear, from: "det-1", at: 120)
            try desk.advance(to: 6 * minute)
            // A real fire later: it opens live, takes the detector's events, and escalates at once
            // when the detector goes offline during it.
            try desk.event(.alarm, from: "det-1", at: 10 * minute)
            try desk.event(.mute, from: "det-1", at: 11 * minute)
            try desk.wentOffline("det-1", at: 12 * minute)
            #expect(try desk.timeline(2).map(\.action).contains(.muted) && !desk.timeline(1).map(\.action).contains(.muted))
            #expect(Set(desk.calls(about: 2).map(\.tier)) == [.grid, .community, .street, .station])
            #expect(desk.calls(about: 1).isEmpty)
        },
    ]
}
