import Foundation
import SmokeGateStore
import SmokeGateTestSupport
import Testing

/// `smokegate devices import`: every row checked first, all bad rows reported, all or nothing.
@Suite struct DeviceImportTests {
    @Test func badRowsAreAllReportedWithTheirLinesAndNothingIsApplied() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        let registry = files.folder.appendingPathComponent("devices.csv")
        let before = try Data(contentsOf: registry)
        let batch = files.folder.appendingPathComponent("batch.csv")
        try """
        device_id,grid,address,venue,venue_type,profile
        det-7,yq-c01-g01,北湖路9号,北湖小区9栋,residential,
        det-8,nowhere,北湖路9号,北湖小区9栋,residential,
        det-7,yq-c01-g01,北湖路9号,北湖小区9栋,residential,
        det-9,yq-c01-g01,北湖路9号,北湖小区9栋,residential,weekly
        bad/2,yq-c01-g01,北湖路9号,北湖小区9栋,residential,

        """.write(to: batch, atomically: true, encoding: .utf8)
        let result = try await BinaryProcess.run("smokegate", ["devices", "import", batch.path, "--config", files.mainFile.path])
        #expect(result.status == 1 && result.stdout.isEmpty)
        for line in [
            ":3: device 'det-8' is in unknown grid 'nowhere'", ":4: duplicate device 'det-7' (first on line 2)", ":5:", ":6:",
        ] {
            #expect(result.stderr.contains(line), "missing \(line) in \(result.stderr)")
        }
        #expect(result.stderr.contains("nothing was changed"))
        #expect(try Data(contentsOf: registry) == before, "the registry is untouched")
    }

    @Test func aGoodBatchIsMergedIntoTheRegistryAndTheDatabase() async throws {
        let files = try TestConfiguration(brokerPort: 1883)
        _ = try Store(path: files.databaseFile.path)
        let batch = files.folder.appendingPathComponent("batch.csv")
        try """
        device_id,grid,address,venue,venue_type,profile
        det-2,yq-c01-g01,北湖路1号3栋202室,北湖小区3栋,residential,
        det-9,yq-c01-g01,"北湖路9号,底商",老王粉店,restaurant,nbiot

        """.write(to: batch, atomically: true, encoding: .utf8)
        let config = ["--config", files.mainFile.path]
        let registry = files.folder.appendingPathComponent("devices.csv").path
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: registry)
        let dry = try await BinaryProcess.run("smokegate", ["devices", "import", batch.path, "--dry-run"] + config)
        #expect(dry.status == 0 && dry.stdout.contains("1 new, 1 updated") && dry.stdout.contains("nothing changed"))
        let result = try await BinaryProcess.run("smokegate", ["devices", "import", batch.path] + config)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 new, 1 updated; the registry has 4 detectors"))
        let mode = try FileManager.default.attributesOfItem(atPath: registry)[.posixPermissions] as? Int
        #expect(mode == 0o640, "the rewritten registry keeps its mode, whatever the operator's umask")
        let check = try await BinaryProcess.run("smokegated", ["--check-config"] + config)
        #expect(check.status == 0 && check.stdout.contains("4 detector(s)"), "\(check.stderr)")
        let devices = try await BinaryProcess.run("smokegate", ["devices", "--json"] + config)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(devices.stdout.utf8)) as? [[String: Any]])
        let added = try #require(list.first { $0["device"] as? String == "det-9" })
        #expect(
            added["registered"] as? Bool == true && added["address"] as? String == "北湖路9号,底商"
                && added["profile"] as? String == "nbiot")
        #expect(list.first { $0["device"] as? String == "det-2" }?["address"] as? String == "北湖路1号3栋202室")
    }
}
