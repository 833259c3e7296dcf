import Foundation

/// Brokers that limit who may connect and what each may do: a password file and an ACL file
/// (mosquitto's own `acl_file`), or the dynamic security plugin, which can also refuse
/// subscriptions (mosquitto 2.0's `acl_file` grants every subscription and filters on delivery).
extension MosquittoBroker {
    /// A broker that admits only `users` (name and password), each limited by `acl`
    /// (`acl_file` syntax). Rewrite the ACL with `writeACL(_:)`, then `reload()`. `persistence`
    /// as for `init`.
    public static func secured(
        users: [(name: String, password: String)], acl: String, persistence: Bool = false
    ) throws -> MosquittoBroker {
        let folder = try TemporaryFolder.make(prefix: "access")
        let passwords = folder.appendingPathComponent("passwd").path
        let tool = try Executables.find("mosquitto_passwd", in: ["/usr/bin"])
        for (position, user) in users.enumerated() {
            let child = try ChildProcess(tool, (position == 0 ? ["-c"] : []) + ["-b", passwords, user.name, user.password])
            guard child.reap(timeout: 20) == 0 else { throw TestSupportError("mosquitto_passwd failed for \(user.name)") }
        }
        let aclFile = folder.appendingPathComponent("acl")
        try acl.write(to: aclFile, atomically: true, encoding: .utf8)
        // The shipped queue limit rather than the tests' usual 0 (no limit): with 0, mosquitto
        // 2.0.11 closes an MQTT 5 connection right after refusing a QoS 1 publish.
        return try MosquittoBroker(
            persistence: persistence, passwordFile: passwords,
            extraConfiguration: "acl_file \(aclFile.path)\n" + (try shipped("max_queued_messages")))
    }

    /// An ACL that lets the gateway's user read its sources' topics and, only when
    /// `callsAllowed`, write the calls' (`smokegate/notify/#`: the line the field forgot), and
    /// lets `clients` (detectors and responders) do anything.
    public static func gatewayACL(callsAllowed: Bool, gateway: String = "smokegated", clients: String) -> String {
        """
        user \(gateway)
        topic read smokegate/detectors/#
        topic read zigbee2mqtt/#
        topic read ctwing/#
        \(callsAllowed ? "topic write smokegate/notify/#" : "")

        user \(clients)
        topic readwrite #

        """
    }

    /// The ACL file `secured(users:acl:)` wrote (beside the password file).
    public var aclFile: URL? {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("mosquitto.conf"), encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("acl_file ") })
        else { return nil }
        return URL(fileURLWithPath: String(line.dropFirst("acl_file ".count)))
    }

    /// Replaces the ACL; the broker reads it at its next `reload()`.
    public func writeACL(_ acl: String) throws {
        guard let aclFile else { throw TestSupportError("this broker has no ACL file") }
        try acl.write(to: aclFile, atomically: true, encoding: .utf8)
    }

    /// A broker whose dynamic security plugin gives anonymous clients the access listed in
    /// `acls` (`(acltype, topic filter)`, all allowed) and denies every other subscription and
    /// publication. `dynamicSecurity(_:)` changes that while it runs.
    public static func dynamicSecurity(allowing acls: [(type: String, topic: String)]) throws -> MosquittoBroker {
        let folder = try TemporaryFolder.make(prefix: "dynsec")
        // Started as root, mosquitto runs as its own user, and the plugin saves its changes here.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        let file = folder.appendingPathComponent("dynamic-security.json")
        let granted = (acls + [("publishClientSend", "$CONTROL/dynamic-security/#")]).map {
            #"{"acltype": "\#($0.type)", "topic": "\#($0.topic)", "allow": true}"#
        }
        try """
        {
          "clients": [],
          "groups": [{"groupname": "anonymous", "roles": [{"rolename": "anyone"}]}],
          "roles": [{"rolename": "anyone", "acls": [\(granted.joined(separator: ", "))]}],
          "anonymousGroup": "anonymous",
          "defaultACLAccess": {"publishClientSend": false, "publishClientReceive": true, "subscribe": false, "unsubscribe": true}
        }
        """.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: file.path)
        guard
            let plugin = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib/mosquitto", "/usr/lib"]
                .map({ $0 + "/mosquitto_dynamic_security.so" }).first(where: { FileManager.default.fileExists(atPath: $0) })
        else { throw TestSupportError("mosquitto's dynamic security plugin is not installed") }
        return try MosquittoBroker(extraConfiguration: "plugin \(plugin)\nplugin_opt_config_file \(file.path)")
    }

    /// Sends one command to the dynamic security plugin while the broker runs, for example
    /// `{"command": "setDefaultACLAccess", "acls": [{"acltype": "subscribe", "allow": true}]}`
    /// (which, unlike a change to a role, does not disconnect the clients it concerns).
    public func dynamicSecurity(_ command: String) async throws {
        let publisher = try await TestPublisher.connect(port: port)
        try await publisher.publish("$CONTROL/dynamic-security/v1", #"{"commands": [\#(command)]}"#)
    }
}
