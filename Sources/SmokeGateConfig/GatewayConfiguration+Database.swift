import Foundation
import SmokeGateCore

extension GatewayConfiguration {
    /// Whether the store is PostgreSQL (`database:` is a URL) rather than a SQLite file.
    public var usesPostgres: Bool { postgres != nil }

    /// Which store this configuration names and, with a cluster, this instance's part, as
    /// `--check-config` prints it: `database: PostgreSQL user@host:5432/db (sslmode=require)`
    /// and `cluster: node gw-a, lease 5s, broker client id smokegated-gw-a`. Never the password.
    public var storeSummary: String {
        guard let postgres else { return "database: SQLite \(databasePath)" }
        var text = "database: PostgreSQL \(postgres)"
        if postgres.tls != .disable { text += " (sslmode=\(postgres.tls.rawValue))" }
        if let cluster {
            let lease = DurationText.format(.milliseconds(Int64((cluster.lease * 1_000).rounded())))
            text += "\ncluster: node \(cluster.node), lease \(lease), broker client id \(broker.clientID)"
        }
        return text
    }

    /// Reads `database:` (a SQLite path, or a PostgreSQL URL), `database_password_file` and
    /// `cluster:`, logging every problem. Runs after `broker:`, whose client id a cluster
    /// extends. The password is read even when `secrets` does not read: whatever opens the
    /// store needs it, the operators' commands as much as the daemon.
    mutating func readDatabase(_ root: YAMLMapping, secrets: SecretFiles) {
        let text = root.string("database", required: true)
        var intendsPostgres = false
        if let text {
            if PostgresLocation.isURL(text) {
                intendsPostgres = true
                do {
                    postgres = try PostgresLocation(url: text)
                } catch {
                    root.log.add(root.file, root.lineOf("database"), "'database' is not a usable PostgreSQL URL: it \(error)")
                }
            } else if let scheme = PostgresLocation.scheme(of: text) {
                // Quoting only the scheme: the rest of a URL may hold a password.
                root.log.add(
                    root.file, root.lineOf("database"),
                    "'database' is a '\(scheme)://' URL: give a SQLite file's path, or postgresql://USER@HOST:5432/DATABASE")
            } else {
                databasePath = TextFile.resolve(text, against: secrets.folder)
            }
        }
        if root["database_password_file"] != nil, text != nil, !intendsPostgres {
            root.log.add(
                root.file, root.lineOf("database_password_file"),
                "'database_password_file' is for a PostgreSQL database; 'database' is a SQLite file, which has no password")
        } else if intendsPostgres, let password = Self.databasePassword(root, secrets: secrets) {
            postgres?.password = password
        }
        if let cluster = root.mappingValue("cluster") { readCluster(cluster, root: root, database: text, intendsPostgres) }
    }

    /// The password in `database_password_file`: the file's text less one trailing line break
    /// (white space is part of a password), refused like every secret file others may open.
    private static func databasePassword(_ root: YAMLMapping, secrets: SecretFiles) -> String? {
        let reader = SecretFiles(folder: secrets.folder, reading: true)
        guard var bytes = reader.untrimmed(root, "database_password_file") else { return nil }
        let line = root.lineOf("database_password_file")
        let name = root["database_password_file"]?.string ?? ""
        if bytes.last == 0x0A {
            bytes.removeLast()
            if bytes.last == 0x0D { bytes.removeLast() }
        }
        guard !bytes.isEmpty else {
            root.log.add(root.file, line, "'database_password_file' \(name): is empty")
            return nil
        }
        guard let password = String(validating: bytes, as: UTF8.self) else {
            root.log.add(root.file, line, "'database_password_file' \(name): is not UTF-8 text")
            return nil
        }
        guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            root.log.add(
                root.file, line,
                "'database_password_file' \(name): must hold the password alone on one line, without control characters")
            return nil
        }
        return password
    }

    /// Reads `cluster:`. `database` is the text of `database:` (nil when it is missing, which
    /// is reported already); `intendsPostgres`: it is a PostgreSQL URL, usable or not.
    private mutating func readCluster(_ cluster: YAMLMapping, root: YAMLMapping, database: String?, _ intendsPostgres: Bool) {
        cluster.rejectUnknownKeys(["node", "lease"])
        if database != nil, !intendsPostgres {
            root.log.add(
                root.file, root.keyLine("cluster"),
                "'cluster' needs database: postgresql://… (a SQLite file is one machine's)")
        }
        var valid = true
        let node = cluster.string("node", required: true)
        if let node, !ClusterSettings.isValidNode(node) {
            cluster.log.add(
                cluster.file, cluster.lineOf("node"),
                "'cluster.node' must be 1 to \(ClusterSettings.longestNode) letters, digits, '-', '_' or '.', got '\(TopicLevel.shown(node))'"
            )
            valid = false
        }
        var lease = ClusterSettings.defaultLease
        if let given = cluster.duration("lease") {
            let shortest = Duration.seconds(ClusterSettings.shortestLease)
            let longest = Duration.seconds(ClusterSettings.longestLease)
            if given < shortest || given > longest {
                cluster.log.add(
                    cluster.file, cluster.lineOf("lease"),
                    "'cluster.lease' must be from \(DurationText.format(shortest)) to \(DurationText.format(longest)), got '\(DurationText.format(given))'"
                )
                valid = false
            } else {
                lease = given.secondsValue
            }
        } else if cluster["lease"] != nil {
            valid = false
        }
        guard valid, intendsPostgres, let node else { return }
        self.cluster = ClusterSettings(node: node, lease: lease)
        // Each instance keeps its own persistent session: the broker would cut one off when
        // another connected under the same id.
        broker.clientID = "\(broker.clientID)-\(node)"
    }
}
