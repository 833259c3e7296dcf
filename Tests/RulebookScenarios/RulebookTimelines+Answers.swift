import Foundation
import SmokeGateCore
import Testing

extension RulebookTimelines {
    /// Rules 9 to 11: what people's answers do, and what happens when nobody gives one.
    static let answers: [RulebookTimeline] = [
        RulebookTimeline("rule 9: an acknowledgement at four minutes stops the ladder and tells the tiers called") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.acknowledge(1, by: "网格员王", at: 4 * minute)
            try desk.advance(to: 20 * minute)
            #expect(
                desk.calls
                    == notify([.grid], at: 0) + notify([.community], at: 180)
                    + [call(.ack, .grid, at: 4 * minute), call(.ack, .community, at: 4 * minute)])
            #expect(try desk.incident(1).state == .acknowledged && desk.incident(1).ackedBy == "网格员王")
        },
        RulebookTimeline("rule 9: a second acknowledgement is refused, naming the first") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.acknowledge(1, by: "王", at: 30)
            do {
                try desk.acknowledge(1, by: "李", at: 31)
                Issue.record("a second acknowledgement was accepted")
            } catch let refusal as IncidentRefusal {
                #expect(refusal.message.contains("already acknowledged by 王"))
            }
            #expect(desk.calls.filter { $0.action == .ack }.count == 1)
        },
        RulebookTimeline("rule 10: resolving tells every tier called, and nothing is called after") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.event(.alarmClear, from: "det-1", at: 60)
            try desk.acknowledge(1, by: "王", at: 4 * minute)
            let relatched = try desk.resolve(1, by: "王", cause: "cooking", at: 20 * minute)
            try desk.advance(to: 3 * 60 * minute)
            #expect(relatched.isEmpty, "the detector had cleared")
            #expect(
                calls(desk, from: 20 * minute) == [
                    call(.resolve, .grid, at: 20 * minute), call(.resolve, .community, at: 20 * minute),
                ])
            #expect(try desk.incident(1).state == .resolved && desk.incident(1).cause == "cooking")
            // Resolved: a new alarm from the same detector is a new fire.
            try desk.event(.alarm, from: "det-1", at: 4 * 60 * minute)
            #expect(desk.calls.last == call(.notify, .grid, at: 4 * 60 * minute, incident: 2))
        },
        RulebookTimeline("rule 10: a reset re-latches a detector of the fire still sensing smoke") { desk in
            // D alarms (cooking); E at the same venue alarms for real and joins; D clears; the
            // operator, standing at D, resolves as cooking. E has never cleared.
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.event(.alarm, from: "det-2", at: 30)
            try desk.event(.alarmClear, from: "det-1", at: 60)
            let relatched = try desk.resolve(1, by: "王", cause: "cooking", at: 120)
            #expect(relatched == [2])
            let fire = try desk.incident(2)
            #expect(fire.kind == .fire && fire.state == .open && fire.site.deviceID == "det-2" && fire.members == ["det-2"])
            // Every tier the resolved fire had called is called again at once.
            #expect(
                calls(desk, from: 120).filter { $0.incident == 2 }
                    == notify([.grid, .community, .street, .station], at: 120, incident: 2))
        },
        RulebookTimeline("rule 10: a re-latched fire keeps the ladder's spacing from the tiers it resumes") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.resolve(1, by: "王", cause: "false_alarm", at: 60)
            try desk.advance(to: 10 * minute)
            #expect(desk.calls(about: 2) == notify([.grid], at: 60, incident: 2) + notify([.community], at: 240, incident: 2))
        },
        RulebookTimeline("rule 11: an acknowledged fire nobody resolves is reminded every half hour") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.acknowledge(1, by: "王", at: 60)
            try desk.advance(to: 60 + 61 * minute)
            let reminders = desk.calls.filter(\.isReminder)
            #expect(reminders == notify([.grid], at: 60 + 30 * minute) + notify([.grid], at: 60 + 60 * minute))
            #expect(try desk.timeline(1).filter { $0.action == .reminded }.count == 2)
            try desk.event(.alarmClear, from: "det-1", at: 61 * minute + 30)
            try desk.resolve(1, by: "王", cause: "real_fire", at: 62 * minute)
            try desk.advance(to: 5 * 60 * minute)
            #expect(desk.calls.filter(\.isReminder).count == 2, "nothing after the resolution")
        },
        RulebookTimeline("rule 11: a fire with every tier called and nobody answering is reminded too") { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.advance(to: 46 * minute)
            #expect(desk.calls.filter(\.isReminder) == notify([.grid, .community, .street, .station], at: 45 * minute))
        },
        RulebookTimeline("rule 11: a reminder interval from the configuration is followed", ladder: shortReminder) { desk in
            try desk.event(.alarm, from: "det-1", at: 0)
            try desk.acknowledge(1, by: "王", at: 10)
            try desk.advance(to: 10 + 5 * minute + 1)
            #expect(desk.calls.filter(\.isReminder).map(\.at) == [70, 130, 190, 250, 310])
        },
    ]

    static let shortReminder = EscalationLadder(steps: EscalationLadder.standard.steps, reminder: .seconds(60))
}
