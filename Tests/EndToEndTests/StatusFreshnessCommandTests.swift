import Foundation
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// `smokegate status` as an operator runs it, on status rows as daemons leave them around a
/// step of the wall clock: a dead daemon must not look alive, nor a live one dead.
@Suite struct StatusFreshnessCommandTests {
    /// `smokegate status --json` on a database holding `row`.
    private func status(of row: (Date, BootClock) -> GatewayStatus) async throws -> [String: Any] {
        let files = try TestConfiguration(brokerPort: 1)
        let store = try Store(path: files.databaseFile.path)
        try store.write(row(Date(), BootClock.now()))
        let result = try await BinaryProcess.run("smokegate", ["status", "--json", "--config", files.mainFile.path])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func row(updatedAt: Date, boottime: Double?, bootID: String?) -> GatewayStatus {
        GatewayStatus(
            pid: 4242, clientID: "smokegated", broker: "127.0.0.1:1883", startedAt: updatedAt, updatedAt: updatedAt,
            connected: true, received: 12, rejected: 0, heartbeats: 12, events: 0, duplicates: 0, byFormat: [:], byReason: [:],
            updatedBoottime: boottime, bootID: bootID)
    }

    @Test func aDaemonKilledBeforeTheClockWentBackAnHourIsNotRunning() async throws {
        // SIGKILLed a minute ago, while the wall clock read an hour ahead; NTP then set it right.
        let json = try await status { now, boot in
            row(updatedAt: now.addingTimeInterval(3_600 - 60), boottime: boot.seconds - 60, bootID: boot.bootID)
        }
        #expect(json["running"] as? Bool == false)
        #expect(json["connected"] as? Bool == false, "connected is false whatever it last wrote")
        #expect(abs((json["age_seconds"] as? Double ?? 0) - 60) < 5)
        #expect(json["age_clock"] as? String == "boot")
        #expect(json["updated_at"] is String, "updated_at stays, as a record")
    }

    @Test func aLiveDaemonIsRunningAfterTheClockWentForward() async throws {
        let json = try await status { now, boot in
            row(updatedAt: now.addingTimeInterval(-960), boottime: boot.seconds, bootID: boot.bootID)
        }
        #expect(json["running"] as? Bool == true && json["connected"] as? Bool == true)
    }

    @Test func aStatusFromAnEarlierBootIsNotRunning() async throws {
        let json = try await status { now, boot in
            row(updatedAt: now, boottime: boot.seconds, bootID: "ffffffffffffffffffffffffffffffff")
        }
        #expect(json["running"] as? Bool == false && json["age_clock"] as? String == "earlier_boot")
    }

    @Test func aStatusFromAnOlderVersionIsJudgedOnTheWallClock() async throws {
        let json = try await status { now, _ in row(updatedAt: now.addingTimeInterval(-1), boottime: nil, bootID: nil) }
        #expect(json["running"] as? Bool == true && json["age_clock"] as? String == "wall")
    }
}
