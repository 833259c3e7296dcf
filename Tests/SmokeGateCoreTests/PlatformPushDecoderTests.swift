import Foundation
import SmokeGateCore
import Testing

/// Every message type of the three NB-IoT platforms' pushes, from real-shaped bodies in the
/// fixture folders (see their README), and the quirks of real pushes.
@Suite struct PlatformPushDecoderTests {
    static let ctwingPlatformID = "d01308047f864601a821e02dc328eab4"

    // MARK: CTWing

    @Test func ctwingClassicDataReportIsAnAlarmOfTheIMEI() throws {
        var replayer = PushReplayer()
        let decoded = try #require(try replayer.push("ctwing/dataReport.json").decoded)
        #expect(decoded.deviceID == "860374052118732")
        #expect(decoded.events.map(\.kind) == [.alarm])
        #expect(decoded.events.first?.identity == .stamped("1795334460000#1"))
        #expect(decoded.notes.isEmpty)
    }

    @Test func ctwingThingModelDataReportReadsSmokeStateAndReadingsSentAsText() throws {
        var replayer = PushReplayer()
        let decoded = try #require(try replayer.push("ctwing/dataReport-thingmodel.json").decoded)
        #expect(decoded.deviceID == "861941770261953", "lower-case imei, IMSI 'undefined'")
        #expect(decoded.events.map(\.kind) == [.alarm])
        #expect(decoded.reading == DeviceReading(battery: 87, signal: -92, smoke: 38))
        #expect(decoded.notes.isEmpty, "\(decoded.notes)")
        #expect(decoded.events.first?.occurredAt == Date(timeIntervalSince1970: 1_795_334_520))
    }

    @Test func ctwingPassThroughAPPdataIsRejectedWithTheReason() throws {
        var replayer = PushReplayer()
        let rejection = try #require(try replayer.push("ctwing/dataReport-appdata.json").rejection)
        #expect(rejection.reason == .missingField)
        #expect(rejection.detail.contains("APPdata"))
    }

    @Test func ctwingBatchMergesOneDevicesReportsAndRejectsTwoDevices() throws {
        var replayer = PushReplayer()
        let decoded = try #require(try replayer.push("ctwing/dataReportTupUnion.json").decoded)
        #expect(decoded.deviceID == "861941770261953")
        #expect(decoded.events.map(\.kind) == [.tamper, .alarm])
        #expect(
            decoded.events.map(\.identity) == [.stamped("1795334600000#tamper_alarm=1"), .stamped("1795334630000#smoke_state=1")])
        let mixed = """
            {"messageType":"dataReportTupUnion","timestamp":1795334640000,"productId":"15045240","payload":[
            {"IMEI":"861941770261953","serviceData":{"smoke_state":1}},{"IMEI":"864182059372541","serviceData":{"smoke_state":1}}]}
            """
        let rejection = try #require(replayer.push(mixed, format: .ctwing).rejection)
        #expect(rejection.reason == .deviceMismatch)
        #expect(rejection.detail.contains("861941770261953") && rejection.detail.contains("864182059372541"))
    }

    @Test func ctwingEventReportsGoThroughTheTableAndAFaultByItsEventType() throws {
        var replayer = PushReplayer()
        #expect(try replayer.push("ctwing/eventReport.json").kinds == [.lowBattery])
        #expect(try replayer.push("ctwing/eventReport-fault.json").kinds == [.fault])
        let warning =
            #"{"messageType":"eventReport","eventType":2,"eventContent":{"x":1},"IMEI":"861941770261953","timestamp":1}"#
        #expect(
            replayer.push(warning, format: .ctwing).rejection?.reason == .unknownType,
            "an unreadable warning is shown, not guessed")
    }

    @Test func ctwingOnlineOfflineNeedsTheRegistrysPlatformID() throws {
        var unknown = PushReplayer()
        let rejection = try #require(try unknown.push("ctwing/deviceOnlineOfflineReport.json").rejection)
        #expect(rejection.reason == .unroutable)
        #expect(rejection.detail.contains("deviceId '\(Self.ctwingPlatformID)' is not a registered platform_id"))
        var registered = PushReplayer(platformIDs: [Self.ctwingPlatformID: "kitchen-3"])
        let decoded = try #require(try registered.push("ctwing/deviceOnlineOfflineReport.json").decoded)
        #expect(decoded.deviceID == "kitchen-3")
        #expect(decoded.events.map(\.kind) == [.offline])
    }

    @Test func aRegisteredPlatformIDNamesTheDeviceForEveryMessageType() throws {
        var replayer = PushReplayer(platformIDs: [Self.ctwingPlatformID: "kitchen-3"])
        #expect(try replayer.push("ctwing/dataReport-thingmodel.json").decoded?.deviceID == "kitchen-3")
        #expect(try replayer.push("ctwing/eventReport.json").decoded?.deviceID == "kitchen-3")
    }

    @Test func ctwingCommandResponseIsIgnored() throws {
        var replayer = PushReplayer()
        #expect(try replayer.push("ctwing/commandResponse.json") == .ignored)
    }

    @Test func ctwingQuirksUndefinedIMEIAndCodesAsTextAndEmptyPacketNumbers() {
        var replayer = PushReplayer()
        let push = """
            {"upPacketSN":"","upDataSN":-1,"messageType":"dataReport","timestamp":"1795334460000","IMEI":"undefined",
            "payload":{"serviceData":{"IMEI":"860374052118732","Alarm_Status":"1","Battery_Level":"90"}}}
            """
        let decoded = replayer.push(push, format: .ctwing).decoded
        #expect(decoded?.deviceID == "860374052118732")
        #expect(decoded?.events.map(\.kind) == [.alarm])
        #expect(decoded?.reading.battery == 90)
        #expect(decoded?.events.first?.identity == .stamped("1795334460000#1"))
    }

    // MARK: Identity

    @Test func aRetriedPushIsTheSameEventAndANewAlarmAfterAClearIsNew() throws {
        for path in ["ctwing/dataReport-thingmodel.json", "onenet/notify.json", "iotda/device.property.json"] {
            var replayer = PushReplayer()
            let first = try #require(try replayer.push(path).decoded?.events.first)
            replayer.conditions = [:]
            let retry = try #require(try replayer.push(path).decoded?.events.first)
            #expect(first.identity == retry.identity, "\(path): a retry is the same event")
            if case .payloadDigest = first.identity { Issue.record("\(path): the platform's stamp is the identity") }
        }
        var replayer = PushReplayer()
        func report(_ time: Int, _ state: Int) -> String {
            #"{"messageType":"dataReport","timestamp":\#(time),"IMEI":"861941770261953","productId":"15045240","payload":{"smoke_state":\#(state)}}"#
        }
        let alarm = try #require(replayer.push(report(1_795_334_460_000, 1), format: .ctwing).decoded?.events.first)
        #expect(replayer.push(report(1_795_334_470_000, 0), format: .ctwing).kinds == [.alarmClear])
        let again = try #require(replayer.push(report(1_795_334_480_000, 1), format: .ctwing).decoded?.events.first)
        #expect(again.kind == .alarm)
        #expect(again.identity != alarm.identity, "a new alarm after a clear is a new event")
    }

    @Test func aPushWithoutAPlatformTimeFallsBackToItsDigest() {
        var replayer = PushReplayer()
        let push = #"{"messageType":"dataReport","IMEI":"861941770261953","payload":{"smoke_state":1}}"#
        let event = replayer.push(push, format: .ctwing).decoded?.events.first
        #expect(event?.identity == .payloadDigest(PushReplayer.message(Array(push.utf8), format: .ctwing).digest))
    }

    // MARK: OneNET

    @Test func onenetNotifyPropertyIsAnAlarmOfTheDeviceName() throws {
        var replayer = PushReplayer()
        let decoded = try #require(try replayer.push("onenet/notify.json").decoded)
        #expect(decoded.deviceID == "860870050503148")
        #expect(decoded.format == .onenet)
        #expect(decoded.events.map(\.kind) == [.alarm])
        #expect(decoded.reading == DeviceReading(battery: 91, smoke: 52))
        #expect(decoded.events.first?.occurredAt == Date(timeIntervalSince1970: 1_795_334_700.123))
    }

    @Test func onenetEventLifeCycleAndTheOlderForm() throws {
        var replayer = PushReplayer(platformIDs: ["52436170": "stair-2"])
        #expect(try replayer.push("onenet/notify-event.json").kinds == [.tamper])
        #expect(try replayer.push("onenet/lifeCycle.json").kinds == [.offline])
        let legacy = try #require(try replayer.push("onenet/legacy-datapoint.json").decoded)
        #expect(legacy.deviceID == "stair-2")
        #expect(legacy.events.map(\.kind) == [.alarm])
        var unregistered = PushReplayer()
        #expect(try unregistered.push("onenet/legacy-datapoint.json").rejection?.reason == .unroutable)
    }

    @Test func onenetRejectsAMsgThatIsNotJSON() {
        var replayer = PushReplayer()
        #expect(replayer.push(#"{"msg":"{not json","nonce":"x"}"#, format: .onenet).rejection?.reason == .invalidJSON)
        #expect(replayer.push(#"{"nonce":"x"}"#, format: .onenet).rejection?.reason == .missingField)
    }

    // MARK: IoTDA

    @Test func iotdaPropertyReportIsAnAlarmOfTheNodeID() throws {
        var replayer = PushReplayer()
        let decoded = try #require(try replayer.push("iotda/device.property.json").decoded)
        #expect(decoded.deviceID == "864182059372541")
        #expect(decoded.events.map(\.kind) == [.alarm])
        #expect(decoded.reading == DeviceReading(battery: 76, signal: -95, smoke: 47))
        #expect(decoded.events.first?.occurredAt == RFC3339.parse("2026-11-22T08:05:00Z"))
    }

    @Test func iotdaStatusAndMessageAndTheRegistrysDeviceID() throws {
        var replayer = PushReplayer()
        #expect(try replayer.push("iotda/device.status.json").kinds == [.offline])
        #expect(try replayer.push("iotda/device.message.json").kinds == [.fault])
        var registered = PushReplayer(platformIDs: ["6aa570ac155456566827c784_864182059372541": "hall-1"])
        #expect(try registered.push("iotda/device.property.json").decoded?.deviceID == "hall-1")
        #expect(
            replayer.push(#"{"resource":"device.command.status","notify_data":{}}"#, format: .iotda) == .ignored)
    }

    /// Every fixture file decodes to something (the end-to-end tests post these exact files).
    @Test func everyPushFixtureIsOneJSONBody() throws {
        for folder in ["ctwing", "onenet", "iotda"] {
            let url = try #require(Bundle.module.url(forResource: "Fixtures/" + folder, withExtension: nil))
            let files = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".json") }
            #expect(!files.isEmpty)
            for file in files {
                let body = try Data(contentsOf: url.appendingPathComponent(file))
                #expect(try JSONSerialization.jsonObject(with: body) is [String: Any], "\(folder)/\(file)")
            }
        }
    }
}
