import Foundation
import SmokeGateCore
import Testing

/// The code tables that say what a product's properties mean: the built-in one, a product's
/// override, and what an unknown code does.
@Suite struct ThingModelTests {
    func report(_ properties: String, product: String = "15045240", time: Int = 1_795_334_460_000) -> String {
        #"{"messageType":"dataReport","timestamp":\#(time),"IMEI":"861941770261953","productId":"\#(product)","payload":\#(properties)}"#
    }

    @Test func theBuiltInTableReadsTheCommonSmokeProducts() {
        var replayer = PushReplayer()
        #expect(replayer.push(report(#"{"smoke_state":0,"battery_value":90}"#), format: .ctwing).kinds == [])
        #expect(replayer.push(report(#"{"smoke_state":1}"#), format: .ctwing).kinds == [.alarm])
        #expect(replayer.push(report(#"{"smoke_state":0}"#), format: .ctwing).kinds == [.alarmClear])
        #expect(replayer.push(report(#"{"tamper_alarm":1,"error":4}"#), format: .ctwing).kinds == [.tamper, .fault])
        #expect(replayer.push(report(#"{"tamper_alarm":0,"error":0}"#), format: .ctwing).kinds == [.tamperClear, .faultClear])
    }

    @Test func anUnknownSmokeStateIsTakenForAFire() {
        var replayer = PushReplayer()
        #expect(replayer.push(report(#"{"smoke_state":9}"#), format: .ctwing).kinds == [.alarm])
    }

    @Test func anUnknownCodeWithNothingElseIsRejectedAndNoted() {
        var replayer = PushReplayer()
        let rejection = replayer.push(report(#"{"tamper_alarm":7}"#), format: .ctwing).rejection
        #expect(rejection?.reason == .unknownType)
        #expect(rejection?.detail.contains("tamper_alarm=7") == true)
        let kept = replayer.push(report(#"{"tamper_alarm":7,"smoke_state":1}"#), format: .ctwing).decoded
        #expect(kept?.events.map(\.kind) == [.alarm])
        #expect(kept?.notes == ["payload.tamper_alarm: 7 is not in the product's code table, dropped"])
    }

    @Test func aReportWithNoKnownPropertyIsRejectedNamingThem() {
        var replayer = PushReplayer()
        let rejection = replayer.push(report(#"{"longitude":-174,"latitude":-86}"#), format: .ctwing).rejection
        #expect(rejection?.reason == .unknownType)
        #expect(rejection?.detail.contains("longitude, latitude") == true)
    }

    @Test func aProductsOverrideChangesTheMeaningForThatProductOnly() {
        let override = ThingModel(
            states: [
                "smoke_state": .init(["0": .normal, "1": .event(.test), "2": .event(.alarm)]),
                "longitude": .init([:], otherwise: .event(.heartbeat)),
            ],
            readings: ["power": .battery])
        let book = ThingModelBook(products: ["15045240": ThingModel.builtIn.overridden(by: override)])
        var replayer = PushReplayer(thingModels: book)
        #expect(replayer.push(report(#"{"smoke_state":1}"#), format: .ctwing).kinds == [.test])
        #expect(replayer.push(report(#"{"smoke_state":2,"power":55}"#), format: .ctwing).decoded?.reading.battery == 55)
        #expect(replayer.push(report(#"{"longitude":-174}"#), format: .ctwing).kinds == [])
        #expect(replayer.push(report(#"{"smoke_state":1}"#, product: "other"), format: .ctwing).kinds == [.alarm])
    }

    @Test func codesAreTheSameWhateverTheirSpelling() {
        #expect(ThingModel.code(.number(1)) == "1")
        #expect(ThingModel.code(.string(" 1 ")) == "1")
        #expect(ThingModel.code(.string("1.0")) == "1")
        #expect(ThingModel.code(.string("Alarm")) == "alarm")
        #expect(ThingModel.code(.bool(true)) == "true")
        #expect(ThingModel.code(.null) == nil)
        var replayer = PushReplayer()
        #expect(replayer.push(report(#"{"tamper_alarm":true}"#), format: .ctwing).kinds == [.tamper], "true reads as 1")
    }

    @Test func aGoodBatteryReadingEndsALowBattery() {
        var replayer = PushReplayer()
        #expect(replayer.push(report(#"{"battery_state":1,"battery_value":10}"#), format: .ctwing).kinds == [.lowBattery])
        #expect(replayer.push(report(#"{"smoke_state":0,"battery_value":95}"#), format: .ctwing).kinds == [.batteryRestored])
    }
}
