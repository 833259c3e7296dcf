import Foundation

/// A certificate authority made with openssl for one test, the broker's certificate it signs
/// (valid for 127.0.0.1, as libmosquitto checks the host it dialled), and client certificates
/// on demand: TLS is tested against real certificates, laid out as docs/broker-security.md
/// tells an operator to make them.
public struct TestCertificates: Sendable {
    public let folder: URL
    /// The CA's certificate: the broker's `cafile`, the gateway's `broker.tls.ca_file`.
    public var caFile: URL { folder.appendingPathComponent("ca.crt") }
    /// The broker's certificate and key (`certfile`, `keyfile`).
    public var brokerCertificate: URL { folder.appendingPathComponent("broker.crt") }
    public var brokerKey: URL { folder.appendingPathComponent("broker.key") }

    /// Makes the CA and the broker's certificate in a new temporary folder.
    public init() throws {
        folder = try TemporaryFolder.make(prefix: "certificates")
        // mosquitto, started as root, reads its certificate and key as its own user.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        try Self.openssl(
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=SmokeGate test CA", "-keyout", path("ca.key"), "-out", caFile.path,
            ], in: folder)
        try sign(
            name: "broker", commonName: "localhost",
            extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    }

    /// A client certificate and key signed by the CA, whose common name is `commonName`: with
    /// `use_identity_as_username` the broker takes it for the client's login.
    public func client(_ commonName: String) throws -> (certificate: URL, key: URL) {
        let name = "client-" + commonName.map { $0.isLetter || $0.isNumber || $0 == "-" ? String($0) : "_" }.joined()
        try sign(name: name, commonName: commonName, extensions: "extendedKeyUsage=clientAuth\n")
        return (folder.appendingPathComponent(name + ".crt"), folder.appendingPathComponent(name + ".key"))
    }

    /// A certificate and key of another CA's making, which the broker must refuse.
    public func stranger(_ commonName: String) throws -> (certificate: URL, key: URL) {
        let name = "stranger-" + commonName
        try Self.openssl(
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=\(commonName)", "-keyout", path(name + ".key"), "-out", path(name + ".crt"),
            ], in: folder)
        try readable(name + ".key")
        return (folder.appendingPathComponent(name + ".crt"), folder.appendingPathComponent(name + ".key"))
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func sign(name: String, commonName: String, extensions: String) throws {
        try extensions.write(to: folder.appendingPathComponent(name + ".ext"), atomically: true, encoding: .utf8)
        try Self.openssl(
            [
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-subj", "/CN=\(commonName)", "-keyout", path(name + ".key"), "-out", path(name + ".csr"),
            ], in: folder)
        try Self.openssl(
            [
                "x509", "-req", "-in", path(name + ".csr"), "-CA", caFile.path, "-CAkey", path("ca.key"), "-CAcreateserial",
                "-days", "2", "-extfile", path(name + ".ext"), "-out", path(name + ".crt"),
            ], in: folder)
        try readable(name + ".key")
    }

    /// Keys are made 0600 by openssl; the broker (its own user) must read its own, and the
    /// folder is the test's alone.
    private func readable(_ name: String) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path(name))
    }

    private static func openssl(_ arguments: [String], in folder: URL) throws {
        let log = folder.appendingPathComponent("openssl.log").path
        let tool = try Executables.find("openssl", in: ["/usr/bin"])
        guard try ChildProcess(tool, arguments, standardError: log).reap(timeout: 30) == 0 else {
            let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw TestSupportError("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(said)")
        }
    }
}
