import Foundation
import SmokeGateCore
import Testing

extension RulebookTimelines {
    /// Rules 1 to 8: what alarms, clears and offline detectors do to fires.
    static let fires: [RulebookTimeline] = [
        RulebookTimeline("rule 1: an alarm opens a fire that climbs every tier at its offset") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.advance(to: 60 * minute)
            let ladder = desk.calls(about: 1).filter { !$0.isReminder }
            #expect(
                ladder == notify([.grid], at: 0) + notify([.community], at: 180) + notify([.street], at: 600)
                    + notify([.station], at: 900))
            let fire = try desk.incident(1)
            #expect(fire.tier == .station && fire.state == .open)
        },
        RulebookTimeline("rule 1: a detector outside the registry goes to every street at once, and to the station") { desk in
            try desk.event(.alarm, from: TestStreet.stranger, at: 0)
            try desk.advance(to: 20 * minute)
            #expect(desk.calls == notify([.street], at: 0) + notify([.station], at: 900))
        },
        RulebookTimeline("rule 2: a repeated alarm while the ladder climbs is a line") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.event(.alarm, from: "det-1", at: 60)
            try desk.event(.alarm, from: "det-1", at: 120)
            try desk.advance(to: 179)
            #expect(desk.calls == notify([.grid], at: 0))
            #expect(try desk.timeline(1).map(\.action) == [.opened, .called, .alarmRepeated, .alarmRepeated])
        },
        RulebookTimeline("rule 3: when the ladder is spent, an alarm is told again to every tier called") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.advance(to: 20 * minute)
            try desk.event(.alarm, from: "det-1", at: 20 * minute)
            #expect(calls(desk, from: 20 * minute) == notify([.grid, .community, .street, .station], at: 20 * minute))
            #expect(try desk.incident(1).state == .open)
        },
        RulebookTimeline("rule 4: an acknowledgement covers the fire as it was, and a repeat is told again") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.acknowledge(1, by: "网格员王", at: 60)
            try desk.event(.alarm, from: "det-1", at: 120)
            try desk.advance(to: 10 * minute)
            #expect(calls(desk, from: 61) == notify([.grid], at: 120), "told again, and the ladder stays stopped")
            #expect(try desk.incident(1).state == .acknowledged)
        },
        RulebookTimeline("rule 5: an alarm after the detector cleared re-arms an acknowledged fire") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.acknowledge(1, by: "网格员王", at: 4 * minute)
            try desk.event(.alarmClear, from: "det-1", at: 5 * minute)
            try desk.event(.alarm, from: "det-1", at: 20 * minute)
            let fire = try desk.incident(1)
            #expect(fire.state == .open && fire.ackedBy == nil)
            try desk.advance(to: 40 * minute)
            // Grid and community were called: they are told again at once, and the ladder
            // resumes with its spacing (street 7 minutes after community, station 5 after that).
            #expect(
                calls(desk, from: 20 * minute).filter { !$0.isReminder }
                    == notify([.grid, .community], at: 20 * minute) + notify([.street], at: 27 * minute)
                    + notify([.station], at: 32 * minute))
            #expect(try desk.timeline(1).contains { $0.action == .rearmed })
        },
        RulebookTimeline("rule 5: an alarm long after the acknowledgement re-arms it") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.acknowledge(1, by: "网格员王", at: 60)
            try desk.event(.alarm, from: "det-1", at: 60 + 31 * minute)
            #expect(try desk.incident(1).state == .open)
            try desk.advance(to: 60 + 40 * minute)
            #expect(calls(desk, from: 60 + 31 * minute).map(\.tier).contains(.community), "the ladder resumed")
        },
        RulebookTimeline("rule 6: a second detector at the venue joins the fire and calls every tier at once") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.event(.alarm, from: "det-2", at: 45)
            try desk.advance(to: 10 * minute)
            #expect(
                desk.calls.filter { !$0.isReminder } == notify([.grid], at: 0)
                    + notify([.grid, .community, .street, .station], at: 45))
            let fire = try desk.incident(1)
            #expect(try desk.incidents().count == 1 && fire.members == ["det-1", "det-2"])
            // det-2 belongs to the fire now: its clear is recorded there.
            try desk.event(.alarmClear, from: "det-2", at: 11 * minute)
            #expect(try desk.timeline(1).last?.action == .alarmCleared)
        },
        RulebookTimeline("rule 6: a second detector joining a spent ladder tells everyone again") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.advance(to: 20 * minute)
            try desk.event(.alarm, from: "det-2", at: 20 * minute)
            #expect(calls(desk, from: 20 * minute) == notify([.grid, .community, .street, .station], at: 20 * minute))
        },
        RulebookTimeline("rule 6: an alarm at another venue opens its own fire") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.event(.alarm, from: "det-4", at: 45)
            try desk.advance(to: 2 * minute)
            #expect(desk.calls == notify([.grid], at: 0) + notify([.grid], at: 45, incident: 2))
        },
        RulebookTimeline("rule 7: clears and mutes are lines, and the ladder goes on") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.event(.alarmClear, from: "det-1", at: 30)
            try desk.event(.mute, from: "det-1", at: 100)
            try desk.advance(to: 11 * minute)
            #expect(desk.calls.map(\.tier) == [.grid, .community, .street], "only people stop the ladder")
            #expect(try desk.timeline(1).map(\.action) == [.opened, .called, .alarmCleared, .muted, .called, .called])
        },
        RulebookTimeline("rule 8: a detector offline during its own fire escalates it at once") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.wentOffline("det-1", at: 5 * minute)
            #expect(
                calls(desk, from: 5 * minute).filter { $0.incident == 1 }
                    == notify([.grid, .community, .street, .station], at: 5 * minute))
            #expect(try desk.incident(2).kind == .offline, "and an offline job opens for the grid")
        },
        RulebookTimeline("rule 8: a detector its network reports offline during its fire escalates it too") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.event(.offline, from: "det-1", at: 20)
            #expect(Set(desk.calls(about: 1).map(\.tier)) == [.grid, .community, .street, .station])
        },
    ]
}
