import Foundation
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// Who may say what on the shipped broker: each detector only on its own topic, the gateway
/// only its calls, with the shipped ACL (`config/mosquitto.acl`) and logins made by the
/// shipped provisioning script (`scripts/provision-detector.sh`, `make detector-login`).
@Suite(.serialized) struct DetectorIdentityTests {
    static func alarm(_ seq: Int) -> String { #"{"type":"alarm","seq":\#(seq)}"# }

    /// MQTT 3.1.1 acknowledges a publish the ACL denies and drops it: the gateway must never
    /// see det-1's alarm on det-2's topic, while det-1's own alarm is stored and called.
    @Test(.timeLimit(.minutes(2)))
    func aDetectorPublishingAsAnotherIsRefusedAndItsOwnAlarmIsCalled() async throws {
        let broker = try ShippedBroker(detectors: ["det-1", "det-2"])
        try broker.start()
        let responders = try await broker.responders()
        let files = try broker.gatewayConfiguration(.plain)
        let gateway = try await broker.startGateway(files)
        let detector = try await TestPublisher.connect(
            port: broker.port, clientID: "det-1", username: "det-1", password: ShippedBroker.password)
        // First as det-2 (acknowledged, dropped), then as itself on the same connection.
        try await detector.publish("smokegate/detectors/det-2/event", Self.alarm(1))
        try await detector.publish("smokegate/detectors/det-1/event", Self.alarm(2))
        let store = gateway.store
        #expect(try await eventually { try store.alarms() >= 1 }, "\(gateway.process.standardError)")
        #expect(
            await eventually { responders.received.contains { $0.topic == "smokegate/notify/grid/yq-c01-g01" } },
            "det-1's alarm calls the grid: \(responders.received.map(\.topic))")
        try await Task.sleep(for: .milliseconds(300))
        let database = try Store(path: files.databaseFile.path, readOnly: true)
        #expect(try database.events(device: "det-2").isEmpty, "nothing was stored for det-2")
        #expect(try database.events(device: "det-1", kind: .alarm).count == 1)
        #expect(try database.rejectedMessages().isEmpty, "the gateway never saw the spoofed message")
        #expect(try store.incidents().map(\.members) == [["det-1"]])
        #expect(Set(responders.received.compactMap { $0.field("device") }) == ["det-1"])
        // The same holds over the site's TLS listener.
        let spoof = try MosquittoClient.publish(
            port: broker.tlsPort, topic: "smokegate/detectors/det-1/event", message: Self.alarm(3),
            options: ["--cafile", broker.certificates.caFile.path] + MosquittoClient.login("det-2"))
        #expect(spoof.status == 0, "det-2 is admitted and acknowledged: \(spoof.said)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(try database.events(device: "det-1", kind: .alarm).count == 1, "det-2 published nothing as det-1")
        #expect(await gateway.process.stop() == 0)
    }

    /// The gateway's login reads detectors and writes calls, nothing else: in MQTT 5 the
    /// broker answers its publish on a detector topic "not authorized", and nobody receives it.
    @Test(.timeLimit(.minutes(2)))
    func theGatewayLoginCannotPublishOnDetectorTopicsButCanCall() async throws {
        let broker = try ShippedBroker(detectors: ["det-1"])
        try broker.start()
        let watcher = try await TestSubscriber.connect(
            port: broker.port, filters: ["smokegate/detectors/#", "zigbee2mqtt/#", "ctwing/#"], username: "smokegated",
            password: ShippedBroker.password)
        let responders = try await broker.responders()
        let gateway = MosquittoClient.login("smokegated")
        for topic in ["smokegate/detectors/det-1/event", "zigbee2mqtt/kitchen", "ctwing/smoke/860000000000001"] {
            let sent = try MosquittoClient.publish(
                port: broker.port, topic: topic, message: Self.alarm(1), options: gateway + ["-V", "mqttv5"])
            #expect(sent.said.lowercased().contains("not authorized"), "\(topic): \(sent.said)")
        }
        let call = try MosquittoClient.publish(
            port: broker.port, topic: "smokegate/notify/grid/yq-c01-g01", message: #"{"action":"notify"}"#,
            options: gateway + ["-V", "mqttv5"])
        #expect(call.status == 0 && !call.said.lowercased().contains("not authorized"), "\(call.said)")
        #expect(await eventually { responders.received.map(\.topic) == ["smokegate/notify/grid/yq-c01-g01"] })
        // A detector's own message does reach the gateway's login: the watcher works.
        let own = try MosquittoClient.publish(
            port: broker.port, topic: "smokegate/detectors/det-1/event", message: Self.alarm(2),
            options: MosquittoClient.login("det-1"))
        #expect(own.status == 0, "\(own.said)")
        #expect(await eventually { !watcher.received.isEmpty })
        #expect(watcher.received.map(\.payload) == [Self.alarm(2)], "only det-1's own message: \(watcher.received)")
    }

    /// Bad ids are refused with a reason and change nothing; running it again changes nothing;
    /// a new password replaces the old one at the broker's next reload.
    @Test(.timeLimit(.minutes(2)))
    func theProvisioningScriptRefusesBadIdsIsIdempotentAndRotates() async throws {
        let broker = try ShippedBroker(detectors: ["det-1"])
        try broker.start()
        let before = try String(contentsOf: broker.passwordFile, encoding: .utf8)
        for (id, reason) in [
            ("kitchen/smoke", "contains '/'"), ("det+1", "wildcard"), ("det#", "wildcard"), ("det:1", "contains ':'"),
            ("det 1", "white space"), ("", "empty"), ("smokegated", "login of the gateway"), ("$SYS", "starts with '$'"),
        ] {
            let refused = try broker.provision(id)
            #expect(refused.status != 0, "'\(id)' is refused")
            #expect(refused.output.contains(reason), "'\(id)': \(refused.output)")
        }
        #expect(try String(contentsOf: broker.passwordFile, encoding: .utf8) == before, "a refused id changes nothing")

        let again = try broker.provision("det-1")
        #expect(again.status == 0, "\(again.output)")
        let logins = try String(contentsOf: broker.passwordFile, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ":").first.map(String.init) ?? "" }
        #expect(logins.sorted() == ["det-1", "responders", "smokegated"], "one line per login: \(logins)")
        let acl = try String(contentsOf: broker.aclFile, encoding: .utf8)
        #expect(acl.components(separatedBy: "pattern write smokegate/detectors/%u/event").count == 2, "the pattern once")

        let rotated = try broker.provision("det-1", password: "rotated")
        #expect(rotated.status == 0 && rotated.output.contains("updated the password of det-1"), "\(rotated.output)")
        broker.reload()
        let topic = "smokegate/detectors/det-1/event"
        #expect(
            await eventually(timeout: 10) {
                (try? MosquittoClient.publish(
                    port: broker.port, topic: topic, message: Self.alarm(1), options: MosquittoClient.login("det-1")
                ).status) != 0
            }, "the old password is refused after the reload")
        let fresh = try MosquittoClient.publish(
            port: broker.port, topic: topic, message: Self.alarm(1), options: MosquittoClient.login("det-1", password: "rotated"))
        #expect(fresh.status == 0, "the new password is taken: \(fresh.said)")
    }

    /// `make detector-login` drives the same script.
    @Test(.timeLimit(.minutes(2)))
    func theMakeTargetProvisionsALogin() async throws {
        let folder = try TemporaryFolder.make(prefix: "detector-login")
        let acl = folder.appendingPathComponent("acl")
        try "user smokegated\ntopic write smokegate/notify/#\n".write(to: acl, atomically: true, encoding: .utf8)
        let log = folder.appendingPathComponent("make.log").path
        var environment = ProcessInfo.processInfo.environment
        environment["ROOT"] = CommandLineTests.packageRoot.path
        environment["FOLDER"] = folder.path
        let child = try ChildProcess(
            "/bin/sh",
            [
                "-c",
                #"printf 'pw\n' | make -s -C "$ROOT" detector-login DEVICE=det-7 PASSWORD_FILE="$FOLDER/passwd" ACL_FILE="$FOLDER/acl" 2>&1"#,
            ], environment: environment, standardOutput: log)
        let status = child.reap(timeout: 60)
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(status == 0, "\(said)")
        let passwords = try String(contentsOf: folder.appendingPathComponent("passwd"), encoding: .utf8)
        #expect(passwords.hasPrefix("det-7:$7$"), "a hashed login for det-7: \(passwords)")
        #expect(try String(contentsOf: acl, encoding: .utf8).hasSuffix("pattern write smokegate/detectors/%u/event\n"))
        #expect(said.contains("smokegate/detectors/det-7/event"), "\(said)")
    }
}
