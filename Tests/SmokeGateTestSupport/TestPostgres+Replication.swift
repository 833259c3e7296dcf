import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A streaming-replication standby of a `TestPostgres`, with the primary committing
/// synchronously to it: the database layout `docs/operations.md` describes for two gateways
/// ("Two gateways and a replicated PostgreSQL"), on real servers. The standby is a
/// `TestPostgres` of its own (its folder, its free loopback port, `stop`, `start`, `kill`,
/// `psql`, `url`), made from a base backup of the primary instead of initdb, and `promote()`
/// turns it into a primary.
extension TestPostgres {
    /// When a commit on the primary returns, as the primary's `synchronous_commit` says.
    public enum SynchronousCommit: String, Sendable {
        /// The standby has flushed the commit to its disk: a failover keeps it (promotion
        /// replays everything received), but a read on the standby may not see it yet.
        case on
        /// The standby has also replayed it: a read on the standby right after sees it.
        case remoteApply = "remote_apply"
    }

    /// Whether PostgreSQL's server binaries, pg_basebackup among them, are installed: suites
    /// that start their own replicated servers are enabled by it.
    public static var isInstalled: Bool {
        guard let folder = try? binaryFolder() else { return false }
        return FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("pg_basebackup").path)
    }

    /// Makes a hot standby of this server (the primary) and makes the primary commit
    /// synchronously to it:
    /// - a `replication` line in the primary's pg_hba.conf for `user` from 127.0.0.1 (with the
    ///   password, SCRAM, when the primary has one), and a reload;
    /// - `pg_basebackup -R -X stream -C -S NAME` into the standby's folder (`-R` writes
    ///   `primary_conninfo` with `application_name=NAME` and `primary_slot_name`; the slot keeps
    ///   the WAL the standby has not received while it is down; `--checkpoint=fast`: a spread
    ///   checkpoint would make it wait a minute and more); the password, if any, is read
    ///   from a passfile in the standby's folder, not written into `primary_conninfo`;
    /// - the standby started on its own free loopback port (`cluster_name=NAME`, hot standby),
    ///   and waited for until the primary sees it streaming;
    /// - on the primary `ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (NAME)'` and
    ///   `synchronous_commit = COMMIT`, a reload, and a wait until the standby's `sync_state` is
    ///   `sync`: from then on every commit on the primary waits for it.
    /// The caller owns the standby: `shutdown()` (or its deinit) stops it and removes its folder.
    public func startStandby(named name: String = "standby1", synchronousCommit: SynchronousCommit = .remoteApply)
        throws -> TestPostgres
    {
        guard name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw failure("a standby's name is lower-case letters, digits and _ (it is a slot's name too): \(name)")
        }
        try allowReplication()
        let standby = try TestPostgres(password: password, durable: durable, settings: ["cluster_name=\(name)"])
        try standby.copy(from: self, name: name)
        try standby.startOnFreePort()
        try waitForStandby(name, synchronous: false)
        try psql("ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (\(name))'", database: "postgres")
        try psql("ALTER SYSTEM SET synchronous_commit = '\(synchronousCommit.rawValue)'", database: "postgres")
        try psql("SELECT pg_reload_conf()", database: "postgres")
        try waitForStandby(name, synchronous: true)
        return standby
    }

    /// Ends recovery on this standby (`pg_ctl promote`) and waits until it takes writes: what
    /// an operator does when the primary is gone.
    public func promote() throws {
        try run("pg_ctl", ["promote", "-D", dataFolder.path, "-w", "-t", "30"], asServer: true, timeout: 40)
        let deadline = Date().addingTimeInterval(30)
        while try psql("SELECT pg_is_in_recovery()", database: "postgres") != "f" {
            guard Date() < deadline else { throw failure("still in recovery 30 s after pg_ctl promote") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// The standby `name` as this primary sees it in `pg_stat_replication`: its `state`
    /// (`streaming` once caught up) and `sync_state` (`sync` when commits wait for it), or nil
    /// while it is not connected.
    public func replication(of name: String) throws -> (state: String, syncState: String)? {
        let line = try psql(
            "SELECT state || ' ' || sync_state FROM pg_stat_replication WHERE application_name = '\(name)'",
            database: "postgres")
        let fields = line.split(separator: " ").map(String.init)
        return fields.count == 2 ? (fields[0], fields[1]) : nil
    }

    /// Waits until the standby `name` is streaming to this primary and, if `synchronous`, is
    /// its synchronous standby: after a standby's restart, before counting on it again.
    public func waitForStandby(_ name: String, synchronous: Bool, timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var seen: (state: String, syncState: String)?
        repeat {
            seen = try replication(of: name)
            if let seen, seen.state == "streaming", !synchronous || seen.syncState == "sync" { return }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        let said = seen.map { "state \($0.state), sync_state \($0.syncState)" } ?? "not connected"
        throw failure(
            "standby \(name) not \(synchronous ? "a synchronous" : "a streaming") standby within \(Int(timeout)) s: \(said)")
    }

    /// Puts `host replication USER 127.0.0.1/32 METHOD` first in pg_hba.conf (the first line
    /// that matches decides) and reloads.
    private func allowReplication() throws {
        let file = dataFolder.appendingPathComponent("pg_hba.conf")
        let rules = try String(contentsOf: file, encoding: .utf8)
        let line = "host replication \(user) \(host)/32 \(password == nil ? "trust" : "scram-sha-256")"
        guard !rules.hasPrefix(line + "\n") else { return }
        // Written in place: the file keeps its owner (the server's user) and mode.
        try (line + "\n" + rules).write(to: file, atomically: false, encoding: .utf8)
        try psql("SELECT pg_reload_conf()", database: "postgres")
    }

    /// Fills this (new, not started) server's data folder with a base backup of `primary`,
    /// configured to stream from it as `name`.
    private func copy(from primary: TestPostgres, name: String) throws {
        if let serverUser { chown(folder.path, serverUser.uid, serverUser.gid) }
        var connection = "host=\(primary.host) port=\(primary.port) user=\(primary.user) application_name=\(name)"
        if let password {
            // The password in a passfile (mode 0600, the server's user's), which -R names in
            // primary_conninfo, rather than the password itself there.
            let passfile = folder.appendingPathComponent("pgpass")
            let escaped = password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:")
            try write("\(primary.host):\(primary.port):*:\(primary.user):\(escaped)\n", to: passfile)
            if let serverUser { chown(passfile.path, serverUser.uid, serverUser.gid) }
            connection += " passfile=\(passfile.path)"
            if let passwordFile { try write(password, to: passwordFile) }
        }
        var arguments = [
            "-d", connection, "-D", dataFolder.path, "-R", "-X", "stream", "-C", "-S", name, "--checkpoint=fast",
        ]
        if !durable { arguments.append("--no-sync") }
        try run("pg_basebackup", arguments, asServer: true, timeout: 120)
    }
}
