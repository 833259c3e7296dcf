import Crypto
import Foundation
import SmokeGateTestSupport

/// A street whose NB-IoT detectors reach the real `smokegated` by their platforms' HTTP push:
/// a broker for the calls, the daemon serving the push paths on `httpPort`.
struct PushStreet {
    static let ctwingPath = "/push/ctwing/7f3c9a0d41b2e8c5a6f09d3e"
    static let onenetPath = "/push/onenet/2b81d0e7c4f9a3b6d5e8f1a2"
    static let iotdaPath = "/push/iotda/91ce44b8a7d2f0e3c6b5a4d9"
    /// The token the OneNET fixtures (`Tests/SmokeGateCoreTests/Fixtures/onenet/`) are signed with.
    static let onenetToken = "smokegate-fixture-token"
    /// The test street's NB-IoT detector, with its platform id.
    static let imei = "860000000000001"
    static let platformID = "d3f1c0a2-5b7e-4c19-9a8d-2e6f4b1c7a90"
    static let devices = """
        device_id,grid,address,venue,venue_type,profile,platform_id
        det-1,yq-c01-g01,北湖路1号3栋101室,北湖小区3栋,residential,,
        860000000000001,yq-c01-g01,北湖路5号,老李餐馆,restaurant,nbiot,\(platformID)
        """

    let daemon: RunningDaemon
    let httpPort: Int
    let responders: TestSubscriber

    /// `ctwing` is the CTWing source's extra flow-YAML keys (`allow`, `rate_limit`, …).
    /// `environment` goes to the daemon (`SMOKEGATE_FAULT_INJECTION`).
    static func start(ctwing: String = "", devices: String = devices, environment: [String: String] = [:]) async throws
        -> PushStreet
    {
        let broker = try MosquittoBroker()
        let folder = try TemporaryFolder.make(prefix: "push-e2e")
        let token = folder.appendingPathComponent("onenet.token")
        try (onenetToken + "\n").write(to: token, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: token.path)
        let httpPort = try FreePort.find()
        let files = try TestConfiguration(
            brokerPort: broker.port, extra: "http: { listen: \"127.0.0.1:\(httpPort)\" }", devices: devices, folder: folder,
            pushSources: [
                "{ http: \(ctwingPath), format: ctwing\(ctwing.isEmpty ? "" : ", " + ctwing) }",
                "{ http: \(onenetPath), format: onenet, token_file: onenet.token }",
                "{ http: \(iotdaPath), format: iotda }",
            ])
        let daemon = try await RunningDaemon.start(broker: broker, files: files, environment: environment)
        let responders = try await TestSubscriber.connect(port: broker.port, filters: ["smokegate/notify/#"])
        let street = PushStreet(daemon: daemon, httpPort: httpPort, responders: responders)
        try await street.waitForHTTP()
        return street
    }

    /// The same street with a new `smokegated` on the same broker, database and port.
    func restarted() async throws -> PushStreet {
        let daemon = try await RunningDaemon.start(broker: daemon.broker, files: daemon.files)
        let street = PushStreet(daemon: daemon, httpPort: httpPort, responders: responders)
        try await street.waitForHTTP()
        return street
    }

    private func waitForHTTP() async throws {
        guard await eventually(timeout: 20, { HTTPProbe.get("/healthz", port: httpPort) != nil }) else {
            await daemon.process.stop(signal: SIGKILL)
            throw TestSupportError("smokegated never served http:\n\(daemon.process.standardError)")
        }
    }

    func push(_ path: String, _ body: String, timeout: TimeInterval = 15) -> HTTPProbe.Response? {
        HTTPProbe.post(path, body: body, contentType: "application/json", port: httpPort, timeout: timeout)
    }

    /// A CTWing `dataReport` of the street's detector with `Alarm_Status` `status`.
    static func ctwingReport(status: Int, at milliseconds: Int64) -> String {
        #"{"messageType":"dataReport","deviceId":"\#(platformID)","IMEI":"\#(imei)","timestamp":\#(milliseconds),"payload":{"serviceId":"notification","serviceData":{"Alarm_Status":\#(status),"Battery_Level":90,"RSRP":-80}}}"#
    }

    /// OneNET's signature: base64(md5(token + nonce + msg)).
    static func onenetSignature(nonce: String, msg: String, token: String = onenetToken) -> String {
        Data(Insecure.MD5.hash(data: Array((token + nonce + msg).utf8))).base64EncodedString()
    }

    func grid(_ action: String) -> [TestSubscriber.Received] {
        responders.received.filter { $0.topic == "smokegate/notify/grid/yq-c01-g01" && $0.field("action") == action }
    }

    func stop() async {
        _ = await daemon.process.stop()
    }
}
