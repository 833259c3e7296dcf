import Foundation
import SmokeGateTestSupport
import Testing

/// Under systemd, with standard error on the journal, `smokegated` writes structured journal
/// entries. The test plays journald: in a private mount namespace, its own datagram socket
/// is bind-mounted where libsystemd sends entries (`/run/systemd/journal/socket`), and
/// `JOURNAL_STREAM` names the file standard error goes to, as systemd would set it.
@Suite(.serialized, .enabled(if: MountNamespace.isAvailable, "needs `unshare --mount` (root)"))
struct JournalTests {
    /// Each journal datagram as its fields (values here are single-line).
    private func entries(_ datagrams: [String]) -> [[String: String]] {
        datagrams.map { datagram in
            var fields: [String: String] = [:]
            for line in datagram.split(separator: "\n") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            return fields
        }
    }

    @Test func entriesCarryPrioritiesAndMetadataFieldsAndNothingGoesToStandardError() async throws {
        let broker = try MosquittoBroker()
        let files = try TestConfiguration(brokerPort: broker.port)
        let folder = try TemporaryFolder.make(prefix: "journal")
        let journal = try NotifySocket(path: folder.appendingPathComponent("socket").path)
        let script = """
            mount -t tmpfs none /run/systemd && mkdir /run/systemd/journal \
              && mount --bind "$JOURNAL_FOLDER" /run/systemd/journal || exit 90
            JOURNAL_STREAM=$(stat -L -c '%d:%i' /proc/self/fd/2) || exit 91
            export JOURNAL_STREAM
            exec "$0" "$@"
            """
        let daemon = try BinaryProcess(
            "/usr/bin/unshare",
            ["--mount", "/bin/sh", "-c", script, Executables.product("smokegated").path, "--config", files.mainFile.path],
            environment: ["JOURNAL_FOLDER": folder.path, "SMOKEGATE_FAULT_INJECTION": "stall-on-alarm"])
        let store = StoreWatcher(path: files.databaseFile.path)
        #expect(try await eventually(timeout: 20) { try store.connected() }, "\(daemon.standardError)")
        #expect(await daemon.stop() == 0, "stops cleanly on SIGTERM: \(daemon.standardError)")
        let received = entries(await journal.receive(for: 0.5))

        let armed = try #require(received.first { $0["MESSAGE"]?.hasPrefix("fault injection armed") == true }, "\(received)")
        #expect(armed["PRIORITY"] == "4", "warning is syslog priority 4")
        #expect(armed["FAULT"] == "stall-on-alarm", "metadata becomes a field of its own")
        #expect(armed["SYSLOG_IDENTIFIER"] == "smokegated")
        #expect(armed["CODE_FILE"] != nil && armed["CODE_LINE"] != nil)
        let opened = try #require(received.first { $0["MESSAGE"]?.hasPrefix("database open") == true })
        #expect(opened["PRIORITY"] == "6", "info is syslog priority 6")
        #expect(opened["DATABASE"] == files.databaseFile.path)
        #expect(received.contains { $0["MESSAGE"] == "stopped" && $0["PRIORITY"] == "6" })
        #expect(daemon.standardError.isEmpty, "no readable lines besides the journal: \(daemon.standardError)")
    }

    @Test func withoutTheJournalTheDaemonWritesReadableLines() async throws {
        let broker = try MosquittoBroker()
        let files = try TestConfiguration(brokerPort: broker.port)
        let daemon = try BinaryProcess(
            "smokegated", ["--config", files.mainFile.path], environment: ["JOURNAL_STREAM": "1:1"])
        let store = StoreWatcher(path: files.databaseFile.path)
        #expect(try await eventually(timeout: 20) { try store.connected() })
        #expect(await daemon.stop() == 0)
        #expect(
            daemon.standardError.contains("database open"),
            "a JOURNAL_STREAM naming another stream is not the journal: \(daemon.standardError)")
    }
}
