import Foundation
import SmokeGateCore
import Yams

extension GatewayConfiguration {
    /// Loads the main file and the registry files it names, checking everything and
    /// throwing every problem found at once. `readingSecrets: false` leaves the receivers' and
    /// answers' secret files unopened and unchecked (their settings then hold no secret, and a
    /// `url_file` receiver no URL): the operator's console needs only receivers' names and
    /// kinds, and runs as an account that may not read the daemon's secrets. The database's
    /// password is read either way: every command that opens the store needs it.
    public static func load(from path: String, readingSecrets: Bool = true) throws(ConfigurationError)
        -> GatewayConfiguration
    {
        let log = ProblemLog()
        let absolute = TextFile.resolve(path, against: FileManager.default.currentDirectoryPath)
        let folder = (absolute as NSString).deletingLastPathComponent
        var configuration = GatewayConfiguration(file: absolute)
        if let root = YAMLFile.root(of: absolute, displayName: path, log: log) {
            configuration.read(root, folder: folder, secrets: SecretFiles(folder: folder, reading: readingSecrets), log: log)
        }
        guard log.problems.isEmpty else { throw ConfigurationError(problems: log.problems) }
        configuration.warnings = log.warnings
        return configuration
    }

    private mutating func read(_ root: YAMLMapping, folder: String, secrets: SecretFiles, log: ProblemLog) {
        root.rejectUnknownKeys([
            "broker", "database", "sources", "registry", "escalation", "supervision", "dispatch", "http", "retention",
            "receivers", "answer", "thing_models", "database_password_file", "cluster", "operators",
        ])
        if let broker = root.mappingValue("broker", required: true) { readBroker(broker, folder: folder) }
        readDatabase(root, secrets: secrets)
        readSources(root, secrets: secrets)
        if let escalation = root.mappingValue("escalation") { readLadder(escalation) }
        if let supervision = root.mappingValue("supervision") { readProfiles(supervision) }
        if let dispatch = root.mappingValue("dispatch") {
            dispatch.rejectUnknownKeys(["topic_prefix", "group_wait", "group_interval"])
            if let wait = dispatch.duration("group_wait") { dispatchGrouping.wait = wait.secondsValue }
            if let interval = dispatch.duration("group_interval") {
                if interval < .seconds(1) {
                    log.add(
                        root.file, dispatch.lineOf("group_interval"),
                        "'dispatch.group_interval' must be at least 1s, got '\(DurationText.format(interval))'")
                } else {
                    dispatchGrouping.interval = interval.secondsValue
                }
            }
            if let prefix = dispatch.string("topic_prefix") {
                if prefix.isEmpty || prefix.contains("+") || prefix.contains("#") || prefix.hasSuffix("/")
                    || prefix.hasPrefix("$")
                    || prefix.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
                {
                    log.add(
                        root.file, dispatch.lineOf("topic_prefix"),
                        "'dispatch.topic_prefix' must be a topic without wildcards, control characters, a leading '$' or a trailing '/', got '\(TopicLevel.shown(prefix))'"
                    )
                } else {
                    dispatchTopicPrefix = prefix
                }
            }
        }
        if let http = root.mappingValue("http") { readHTTP(http) }
        readOperators(root, folder: folder, readingAccounts: secrets.reading)
        if let first = pushSources.first, root["http"] == nil {
            log.add(
                root.file, root.lineOf("sources"),
                "'sources' has an HTTP push ('\(first.name)') but 'http.listen' is not set: nothing would serve it")
        }
        if let models = root.mappingValue("thing_models") { thingModels = Self.readThingModels(models) }
        let (receivers, declared) = ReceiverSettingsLoader.load(root, secrets: secrets)
        self.receivers = receivers
        if let answer = root.mappingValue("answer") {
            self.answer = AnswerSettingsLoader.load(
                answer, line: root.keyLine("answer"), httpConfigured: root["http"] != nil, secrets: secrets)
        }
        if let retention = root.mappingValue("retention") {
            retention.rejectUnknownKeys(["events", "rejected", "outbox", "incidents"])
            let windows = [
                ("events", \Retention.events), ("rejected", \Retention.rejected), ("outbox", \Retention.outbox),
                ("incidents", \Retention.incidents),
            ]
            for (key, path) in windows {
                guard let window = retention.duration(key) else { continue }
                if window < .seconds(86_400) {
                    log.add(
                        root.file, retention.lineOf(key),
                        "'retention.\(key)' must be at least 1d, got '\(DurationText.format(window))'")
                } else {
                    self.retention[keyPath: path] = window
                }
            }
        }
        if let registry = root.mappingValue("registry", required: true) {
            registry.rejectUnknownKeys(["chain", "devices"])
            let chainName = registry.string("chain", required: true)
            let devicesName = registry.string("devices", required: true)
            // The device registry is read on another thread while the chain's YAML is parsed
            // here; its grids are checked once both are in.
            var reading: BackgroundWork<DeviceRegistryLoader.Reading>?
            if let devicesName {
                let devicesPath = TextFile.resolve(devicesName, against: folder)
                let (displayName, profileNames) = (display(devicesName), Set(profiles.keys))
                devicesFile = devicesPath
                reading = BackgroundWork {
                    DeviceRegistryLoader.read(devicesPath, displayName: displayName, profiles: profileNames)
                }
            }
            if let chainName {
                let chainPath = TextFile.resolve(chainName, against: folder)
                if let loaded = ResponseChainLoader.load(
                    chainPath, displayName: display(chainName), receivers: declared, mainFile: root.file, log: log)
                {
                    chain = loaded
                }
            }
            if let reading { devices = reading.value.checked(against: chain, log: log) }
        }
    }

    /// How a registry file is named in messages: as the main file names it, relative to the
    /// folder the operator ran from when that is shorter.
    func display(_ name: String) -> String {
        if name.hasPrefix("/") { return name }
        let absolute = TextFile.resolve(name, against: (file as NSString).deletingLastPathComponent)
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return absolute.hasPrefix(cwd) ? String(absolute.dropFirst(cwd.count)) : absolute
    }

    private mutating func readBroker(_ broker: YAMLMapping, folder: String) {
        broker.rejectUnknownKeys(["host", "port", "client_id", "username", "password_file", "tls", "keepalive"])
        if let host = broker.string("host") { self.broker.host = host }
        if let port = broker.integer("port", in: 1...65_535) { self.broker.port = port }
        if let clientID = broker.string("client_id") {
            if clientID.isEmpty || clientID.utf8.count > 65_535 {
                broker.log.add(broker.file, broker.lineOf("client_id"), "'broker.client_id' must be a non-empty id")
            } else {
                self.broker.clientID = clientID
            }
        }
        self.broker.username = broker.string("username")
        if let keepAlive = broker.integer("keepalive", in: 5...3_600) { self.broker.keepAlive = keepAlive }
        if let passwordFile = broker.string("password_file") {
            let path = TextFile.resolve(passwordFile, against: folder)
            self.broker.passwordFile = path
            if !FileManager.default.isReadableFile(atPath: path) {
                broker.log.add(
                    broker.file, broker.lineOf("password_file"),
                    "'broker.password_file' \(passwordFile): file not found or not readable")
            }
            if self.broker.username == nil {
                broker.log.add(broker.file, broker.lineOf("password_file"), "'broker.password_file' needs 'broker.username'")
            }
        }
        if let tls = broker.mappingValue("tls") {
            tls.rejectUnknownKeys(["ca_file", "cert_file", "key_file"])
            var settings = TLS()
            func file(_ key: String) -> String? {
                guard let name = tls.string(key) else { return nil }
                let path = TextFile.resolve(name, against: folder)
                if !FileManager.default.isReadableFile(atPath: path) {
                    tls.log.add(tls.file, tls.lineOf(key), "'broker.tls.\(key)' \(name): file not found or not readable")
                }
                return path
            }
            settings.caFile = file("ca_file")
            settings.certFile = file("cert_file")
            settings.keyFile = file("key_file")
            if settings.caFile == nil {
                tls.log.add(tls.file, tls.line, "'broker.tls.ca_file' is required to verify the broker")
            }
            if (settings.certFile == nil) != (settings.keyFile == nil) {
                tls.log.add(tls.file, tls.line, "'broker.tls' needs both cert_file and key_file, or neither")
            }
            self.broker.tls = settings
        }
    }

    private mutating func readSources(_ root: YAMLMapping, secrets: SecretFiles) {
        let nodes = root.sequence("sources", required: true)
        if root["sources"] != nil, nodes.isEmpty {
            root.log.add(root.file, root.lineOf("sources"), "'sources' lists no topic: the daemon would hear nothing")
        }
        var seen: Set<String> = []
        var pushPaths: Set<String> = []
        for (position, node) in nodes.enumerated() {
            guard let entry = YAMLMapping(node, file: root.file, path: "sources[\(position)]", log: root.log) else { continue }
            if entry["http"] != nil {
                readPushSource(entry, secrets: secrets, seen: &pushPaths)
                continue
            }
            entry.rejectUnknownKeys(["topic", "format", "http"])
            let topic = entry.string("topic", required: true)
            let formatName = entry.string("format", required: true)
            var format: PayloadFormat?
            if let formatName {
                format = PayloadFormat(rawValue: formatName)
                if format == nil {
                    let known = PayloadFormat.allCases.map(\.rawValue).joined(separator: ", ")
                    entry.log.add(
                        entry.file, entry.lineOf("format"),
                        "'\(entry.name("format"))' '\(formatName)' is not a known format (\(known))")
                }
            }
            guard let topic else { continue }
            let filter: TopicFilter
            do {
                filter = try TopicFilter(topic)
            } catch {
                entry.log.add(entry.file, entry.lineOf("topic"), "'\(entry.name("topic"))': \(error)")
                continue
            }
            if !seen.insert(topic).inserted {
                entry.log.add(entry.file, entry.lineOf("topic"), "topic '\(topic)' is listed twice")
            }
            if let format {
                if format.isPushOnly {
                    entry.log.add(
                        entry.file, entry.lineOf("format"),
                        "format '\(format.rawValue)' arrives only by the platform's HTTP push: write 'http: /push/\(format.rawValue)/SECRET' instead of 'topic'"
                    )
                    continue
                }
                if format != .ctwing, !filter.hasWildcard {
                    entry.log.add(
                        entry.file, entry.lineOf("topic"),
                        "'\(entry.name("topic"))' '\(topic)' needs a '+' or '#' where the device id stands")
                }
                let source = Source(filter: filter, format: format)
                if let upgrade = source.zigbeeUpgrade {
                    entry.log.warn(
                        entry.file, entry.lineOf("topic"),
                        "'\(entry.name("topic"))' '\(topic)' is subscribed as '\(upgrade)': Zigbee2MQTT friendly names may contain '/', and availability and the bridge's device list lie below; write '\(upgrade)' (and let the gateway's broker login read it) to stop this warning"
                    )
                }
                sources.append(source)
            }
        }
    }

    private mutating func readLadder(_ escalation: YAMLMapping) {
        escalation.rejectUnknownKeys(Set(Tier.allCases.map(\.rawValue) + ["reminder"]))
        var steps: [EscalationLadder.Step] = []
        for tier in Tier.allCases {
            guard let after = escalation.duration(tier.rawValue) else { continue }
            steps.append(EscalationLadder.Step(tier: tier, after: after))
        }
        if steps.isEmpty {
            escalation.log.add(escalation.file, escalation.line, "'escalation' calls no tier: a fire would reach nobody")
        }
        var reminder = EscalationLadder.standardReminder
        if let every = escalation.duration("reminder") {
            if every < .seconds(1) {
                escalation.log.add(
                    escalation.file, escalation.lineOf("reminder"),
                    "'escalation.reminder' must be at least 1s, got '\(DurationText.format(every))'")
            } else {
                reminder = every
            }
        }
        ladder = EscalationLadder(steps: steps, reminder: reminder)
    }

    private mutating func readProfiles(_ supervision: YAMLMapping) {
        for (key, node) in supervision.mapping {
            guard let name = key.string else { continue }
            guard let entry = YAMLMapping(node, file: supervision.file, path: "supervision.\(name)", log: supervision.log) else {
                continue
            }
            entry.rejectUnknownKeys(["heartbeat", "offline_after"])
            let heartbeat = entry.duration("heartbeat", required: true)
            let offlineAfter = entry.duration("offline_after", required: true)
            guard let heartbeat, let offlineAfter else { continue }
            if heartbeat <= .zero {
                entry.log.add(entry.file, entry.lineOf("heartbeat"), "'\(entry.name("heartbeat"))' must be longer than 0s")
            }
            if offlineAfter <= heartbeat {
                entry.log.add(
                    entry.file, entry.lineOf("offline_after"),
                    "'\(entry.name("offline_after"))' (\(DurationText.format(offlineAfter))) must be longer than its heartbeat (\(DurationText.format(heartbeat)))"
                )
            }
            profiles[name] = SupervisionProfile(name: name, heartbeat: heartbeat, offlineAfter: offlineAfter)
        }
    }

    private mutating func readHTTP(_ http: YAMLMapping) {
        http.rejectUnknownKeys(["listen"])
        guard let listen = http.string("listen", required: true) else { return }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (1...65_535).contains(port), colon > listen.startIndex
        else {
            http.log.add(http.file, http.lineOf("listen"), "'http.listen' must be HOST:PORT, got '\(listen)'")
            return
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.http = HTTP(host: host, port: port)
    }
}
