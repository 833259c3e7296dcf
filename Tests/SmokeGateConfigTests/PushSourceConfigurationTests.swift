import Foundation
import SmokeGateConfig
import SmokeGateCore
import Testing

/// `sources` entries with `http:`: what a good one gives the daemon, and a broken set that
/// reports every problem at once, on its line, never quoting the token.
@Suite struct PushSourceConfigurationTests {
    @Test func aGoodPushSourceCarriesItsGuards() throws {
        let fixture = try ReceiverFixture("", chain: ReceiverConfigurationTests.chainWithoutReceivers)
        try fixture.secret("onenet.token", "SECRET-TOKEN\n")
        let main = fixture.main.replacingOccurrences(
            of: #"sources: [{ topic: "smokegate/detectors/+/event", format: native }]"#,
            with: """
                sources:
                  - { topic: "smokegate/detectors/+/event", format: native }
                  - { http: /push/ctwing/7f3c9a0d41b2e8c5a6f0, format: ctwing, allow: [203.0.113.0/24, "2001:db8::/32"], rate_limit: 50, body_limit: 8192 }
                  - { http: /push/onenet/2b81d0e7c4f9a3b6d5e8, format: onenet, token_file: secrets/onenet.token }
                  - { http: /push/iotda/91ce44b8a7d2f0e3c6b5, format: iotda }
                """)
        try main.write(to: fixture.mainFile, atomically: true, encoding: .utf8)
        let configuration = try GatewayConfiguration.load(from: fixture.mainFile.path)
        #expect(configuration.sources.count == 1)
        #expect(configuration.pushSources.map(\.format) == [.ctwing, .onenet, .iotda])
        let ctwing = configuration.pushSources[0]
        #expect(ctwing.rateLimit == 50 && ctwing.bodyLimit == 8192)
        #expect(ctwing.allows("203.0.113.77") && ctwing.allows("::ffff:203.0.113.9") && ctwing.allows("2001:db8::1"))
        #expect(!ctwing.allows("127.0.0.1") && !ctwing.allows(nil))
        #expect(configuration.pushSources[1].token == Array("SECRET-TOKEN".utf8))
        #expect(configuration.pushSources[2].allows("127.0.0.1"), "no allow-list: any address")
        #expect(configuration.pushSources.allSatisfy { !$0.name.contains("/") }, "named without the secret path")
    }

    @Test func everyPushProblemIsReportedAtOnceWithItsLine() throws {
        let fixture = try ReceiverFixture("", chain: ReceiverConfigurationTests.chainWithoutReceivers, http: false)
        try fixture.secret("open.token", "SECRET-OPEN\n", mode: 0o644)
        let main = fixture.main.replacingOccurrences(
            of: #"sources: [{ topic: "smokegate/detectors/+/event", format: native }]"#,
            with: """
                sources:
                  - { topic: "smokegate/detectors/+/event", format: native }
                  - { http: /push/ctwing/short, format: ctwing }
                  - { http: push/ctwing/7f3c9a0d41b2e8c5a6f0, format: ctwing }
                  - { http: /metrics/7f3c9a0d41b2e8c5a6f0aa, format: ctwing }
                  - { http: /push/native/7f3c9a0d41b2e8c5a6f0, format: native }
                  - { http: /push/onenet/2b81d0e7c4f9a3b6d5e8, format: onenet }
                  - { http: /push/onenet/2b81d0e7c4f9a3b6d5e9, format: onenet, token_file: secrets/open.token }
                  - { http: /push/iotda/91ce44b8a7d2f0e3c6b5, format: iotda, token_file: secrets/open.token, allow: [10.0.0.0/33] }
                  - { http: /push/iotda/91ce44b8a7d2f0e3c6b5, format: iotda, rate_limit: 0 }
                  - { topic: "onenet/+", format: onenet }
                  - { http: "/push/ctwing/7f3c9a0d41b2e8c5a6f0?x=1", format: ctwing, secret: x }
                """)
        try main.write(to: fixture.mainFile, atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigurationError.self) { try GatewayConfiguration.load(from: fixture.mainFile.path) }
        let text = error?.problems.map(\.description).joined(separator: "\n") ?? ""
        let expected = [
            "its last segment is the push's only password",
            "must be an absolute path",
            "is taken by the daemon's own /metrics",
            "format 'native' arrives on a topic, not by HTTP push",
            "'sources[5].token_file' is required",
            "group or others may open it",
            "'sources[7].token_file' is for onenet",
            "'10.0.0.0/33', which is not an address or CIDR block",
            "is listed twice",
            "'sources[8].rate_limit'",
            "format 'onenet' arrives only by the platform's HTTP push",
            "unknown key 'sources[10].secret'",
            "may hold only letters, digits",
            "but 'http.listen' is not set",
        ]
        for fragment in expected {
            #expect(text.contains(fragment), "reported: \(fragment)\n\(text)")
        }
        #expect(!text.contains("SECRET-"), "no secret is quoted")
        #expect(error?.problems.allSatisfy { $0.line != nil } == true, "each problem has its line")
    }

    @Test func theRegistrysPlatformIDsAreReadAndKeptOnePerDetector() throws {
        let fixture = try ReceiverFixture("", chain: ReceiverConfigurationTests.chainWithoutReceivers)
        try """
        device_id,grid,address,venue,venue_type,profile,platform_id
        d1,g1,北湖路1号,北湖小区,residential,,a1b2c3d4-0001
        d2,g1,北湖路2号,北湖小区,residential,,
        d3,g1,北湖路3号,北湖小区,residential,,a1b2c3d4-0001
        """.write(to: fixture.folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigurationError.self) { try GatewayConfiguration.load(from: fixture.mainFile.path) }
        #expect(
            error?.problems.map(\.description).contains {
                $0.contains(":4:") && $0.contains("platform_id 'a1b2c3d4-0001', which device 'd1' already has")
            } == true, "\(error?.problems ?? [])")

        try """
        device_id,grid,address,venue,venue_type,profile,platform_id
        d1,g1,北湖路1号,北湖小区,residential,,a1b2c3d4-0001
        d2,g1,北湖路2号,北湖小区,residential,,
        """.write(to: fixture.folder.appendingPathComponent("devices.csv"), atomically: true, encoding: .utf8)
        let devices = try GatewayConfiguration.load(from: fixture.mainFile.path).devices
        #expect(devices.deviceID(forPlatformID: "a1b2c3d4-0001") == "d1")
        #expect(devices.deviceID(forPlatformID: "unknown") == nil)
        #expect(devices.device("d1")?.platformID == "a1b2c3d4-0001" && devices.device("d2")?.platformID == nil)
    }
}
