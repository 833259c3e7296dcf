import Foundation
import SmokeGateTestSupport

/// The database lives on a small tmpfs that fills up while alarms arrive. The daemon must say
/// so loudly, acknowledge nothing it could not store (the broker keeps those alarms), and
/// resume by itself once space returns.
struct DiskFullFault {
    let settings: FaultSettings

    func run() async throws -> FaultReport {
        let folder = try TemporaryFolder.make(prefix: "disk-full")
        try Self.shell("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", folder.path)
        defer { try? Self.shell("umount", "-l", folder.path) }
        let rig = try await FaultRig(detectors: settings.quick ? 30 : 80, databaseFolder: folder)
        var ledger = AlarmLedger()
        try await rig.startDaemon()
        let filler = folder.appendingPathComponent("filler")
        let filled = try Self.fill(filler)
        let storedBefore = try rig.store()?.events(kind: .alarm).count ?? 0
        for device in rig.detectors {
            try await rig.alarm(device)
            ledger.record(device)
        }
        try await Task.sleep(for: .seconds(3))
        let storedWhileFull = try rig.store()?.events(kind: .alarm).count ?? 0
        let complaint = rig.daemon?.standardError.split(separator: "\n").first { $0.contains("cannot store an event") }
        try FileManager.default.removeItem(at: filler)
        let freed = Date()
        _ = try await eventually(timeout: 60) { try rig.store()?.events(kind: .alarm).count == ledger.sent.count }
        let caughtUp = Date().timeIntervalSince(freed)
        try await rig.settle(&ledger)
        let status = await rig.stopDaemon()
        var report = FaultReport(
            fault: .diskFull, tried: "16 MiB tmpfs filled (\(filled / 1_024) KiB of filler), then freed", ledger: ledger,
            notes: [
                "alarms stored while full: \(storedWhileFull - storedBefore) of \(ledger.sent.count) (none acknowledged to the broker)",
                "the daemon said: \(complaint.map { String($0.suffix(160)) } ?? "NOTHING")",
                String(format: "caught up %.1f s after space returned", caughtUp),
            ])
        if status != 0 || complaint == nil {
            report.failed = true
            report.notes.append("exit status \(status.map(String.init) ?? "-")")
            report.notes += rig.troubleLines()
        }
        return report
    }

    /// Writes `file` until the file system refuses; returns the bytes written.
    static func fill(_ file: URL) throws -> Int {
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw TestSupportError("cannot create \(file.path) to fill the file system")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        let chunk = Data(repeating: 0x5a, count: 64 * 1_024)
        var written = 0
        while (try? handle.write(contentsOf: chunk)) != nil {
            written += chunk.count
        }
        // The last partial chunk may have gone in; sync so the space is really taken.
        try? handle.synchronize()
        return written
    }

    static func shell(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError("\(arguments.joined(separator: " ")) failed (needs root to mount a tmpfs)")
        }
    }
}
