import Foundation
import SmokeGateCore
import Testing

/// Seeded random pushes: the decoders never trap on any body or mutation of a real one, and
/// every body that carries an alarm code yields an alarm event.
@Suite struct PlatformPushGenerativeTests {
    /// A small deterministic generator (SplitMix64), so a failure replays from its seed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fixtures: [(String, PayloadFormat)] = [
        ("ctwing/dataReport.json", .ctwing), ("ctwing/dataReport-thingmodel.json", .ctwing),
        ("ctwing/dataReportTupUnion.json", .ctwing), ("ctwing/eventReport.json", .ctwing),
        ("ctwing/deviceOnlineOfflineReport.json", .ctwing), ("ctwing/commandResponse.json", .ctwing),
        ("onenet/notify.json", .onenet), ("onenet/lifeCycle.json", .onenet), ("onenet/legacy-datapoint.json", .onenet),
        ("iotda/device.property.json", .iotda), ("iotda/device.status.json", .iotda), ("iotda/device.message.json", .iotda),
    ]

    @Test(arguments: [1, 2, 3, 4])
    func mutatedPushesNeverTrap(seed: UInt64) throws {
        var random = Seeded(state: seed)
        let bodies = try Self.fixtures.map { (try PushReplayer.body($0.0), $0.1) }
        var replayer = PushReplayer(platformIDs: ["d01308047f864601a821e02dc328eab4": "kitchen-3", "52436170": "stair-2"])
        let alphabet = Array(#"{}[]":,0123456789-.eE truefalsnul\"#.utf8)
        for _ in 0..<1_500 {
            let (original, format) = bodies[Int.random(in: 0..<bodies.count, using: &random)]
            var body = original
            for _ in 0..<Int.random(in: 1...4, using: &random) where !body.isEmpty {
                let at = Int.random(in: 0..<body.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: body[at] = alphabet.randomElement(using: &random)!
                case 1: body.remove(at: at)
                default: body.insert(alphabet.randomElement(using: &random)!, at: at)
                }
            }
            let outcome = replayer.push(PushReplayer.message(body, format: format), format: format)
            switch outcome {
            case .accepted(let decoded):
                #expect(!decoded.deviceID.isEmpty)
                #expect(decoded.events.allSatisfy { $0.deviceID == decoded.deviceID && $0.notes == decoded.notes })
            case .rejected(let rejection): #expect(!rejection.detail.isEmpty)
            case .ignored: break
            }
        }
    }

    @Test(arguments: [7, 8, 9])
    func everyAlarmBearingBodyYieldsAnAlarm(seed: UInt64) {
        var random = Seeded(state: seed)
        let extras = [
            #""battery_value":"80""#, #""signalPower":-90"#, #""tamper_alarm":0"#, #""error":0"#, #""smoke_value":"12""#,
        ]
        for round in 0..<300 {
            let alarm = [#""smoke_state":1"#, #""smoke_state":"1""#, #""Alarm_Status":1"#, #""smoke_state":3"#]
                .randomElement(using: &random)!
            var properties = extras.filter { _ in Bool.random(using: &random) } + [alarm]
            properties.shuffle(using: &random)
            let object = "{" + properties.joined(separator: ",") + "}"
            let time = 1_795_334_400_000 + round
            let imei = ["\"IMEI\"", "\"imei\""].randomElement(using: &random)!
            let bodies: [(String, PayloadFormat)] = [
                (
                    #"{"messageType":"dataReport","timestamp":\#(time),\#(imei):"861941770261953","IMSI":"undefined","payload":{"serviceData":\#(object)}}"#,
                    .ctwing
                ),
                (
                    #"{"messageType":"dataReport","timestamp":"\#(time)",\#(imei):"861941770261953","upPacketSN":"","payload":\#(object)}"#,
                    .ctwing
                ),
                (
                    #"{"msg":"{\"messageType\":\"notify\",\"notifyType\":\"property\",\"deviceName\":\"860870050503148\",\"data\":{\"params\":\#(object.replacingOccurrences(of: "\"", with: "\\\""))}}","nonce":"n","time":\#(time)}"#,
                    .onenet
                ),
                (
                    #"{"resource":"device.property","event":"report","notify_data":{"header":{"node_id":"864182059372541"},"body":{"services":[{"service_id":"Smoke","properties":\#(object)}]}}}"#,
                    .iotda
                ),
            ]
            for (body, format) in bodies {
                var replayer = PushReplayer()
                let kinds = replayer.push(body, format: format).kinds
                #expect(kinds?.contains(.alarm) == true, "seed \(seed) round \(round): \(body)")
            }
        }
    }
}
