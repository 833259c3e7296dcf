import Foundation
import SmokeGateCore
import Testing

/// The network thread's quick look (`cannotOpenIncident`) stays conservative for the new
/// CTWing message types and thing-model properties: "routine" only when certain.
@Suite struct PlatformPushRoutineTests {
    static let sources = [Source(filter: try! TopicFilter("ctwing/smoke/+"), format: .ctwing)]

    func message(_ payload: String) -> RawMessage {
        RawMessage(topic: "ctwing/smoke/861941770261953", payload: Array(payload.utf8), receivedAt: FixtureLoader.testEpoch)
    }

    @Test func aNormalStatusBesideAThingModelAlarmIsNotRoutine() {
        let normalizer = MessageNormalizer(sources: Self.sources)
        let quiet = #"{"messageType":"dataReport","IMEI":"861941770261953","payload":{"serviceData":{"Alarm_Status":7}}}"#
        #expect(normalizer.cannotOpenIncident(message(quiet)))
        for payload in [
            #"{"messageType":"dataReport","IMEI":"861941770261953","payload":{"serviceData":{"Alarm_Status":7,"smoke_state":1}}}"#,
            #"{"messageType":"eventReport","IMEI":"861941770261953","eventType":3,"eventContent":{"Alarm_Status":7}}"#,
            #"{"messageType":"deviceOnlineOfflineReport","eventType":0,"deviceId":"x","Alarm_Status":7}"#,
            #"{"messageType":"dataReportTupUnion","IMEI":"861941770261953","payload":[{"serviceData":{"Alarm_Status":7}}]}"#,
            #"{"messageType":"dataReport","IMEI":"861941770261953","payload":{"smoke_state":0,"battery_value":90}}"#,
        ] {
            #expect(!normalizer.cannotOpenIncident(message(payload)), "\(payload)")
        }
    }

    @Test func aProductWhoseSevenIsNotNormalMakesNoCTWingPushRoutine() {
        let override = ThingModel(states: ["Alarm_Status": .init(["7": .event(.alarm)])])
        let book = ThingModelBook(products: ["15014772": ThingModel.builtIn.overridden(by: override)])
        let normalizer = MessageNormalizer(sources: Self.sources, thingModels: book)
        let seven = #"{"messageType":"dataReport","IMEI":"861941770261953","payload":{"serviceData":{"Alarm_Status":7}}}"#
        #expect(!normalizer.cannotOpenIncident(message(seven)))
    }

    @Test func aPropertyAProductAddsIsWatchedFor() {
        let override = ThingModel(states: ["fire_flag": .init(["1": .event(.alarm)])])
        let book = ThingModelBook(products: ["15014772": ThingModel.builtIn.overridden(by: override)])
        let normalizer = MessageNormalizer(sources: Self.sources, thingModels: book)
        let payload =
            #"{"messageType":"dataReport","IMEI":"861941770261953","payload":{"serviceData":{"Alarm_Status":7,"fire_flag":1}}}"#
        #expect(!normalizer.cannotOpenIncident(message(payload)))
    }
}
