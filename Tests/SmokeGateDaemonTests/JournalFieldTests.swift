import Logging
import Testing

@testable import SmokeGateDaemon

/// What journald is handed: field names it accepts, and priorities in syslog's numbering.
struct JournalFieldTests {
    @Test func metadataKeysBecomeFieldNamesJournaldAccepts() {
        #expect(JournalLogHandler.fieldName("device") == "DEVICE")
        #expect(JournalLogHandler.fieldName("hb.request-id") == "HB_REQUEST_ID")
        #expect(JournalLogHandler.fieldName("1st") == "X_1ST", "a field name may not start with a digit")
        #expect(JournalLogHandler.fieldName("_private") == "X__PRIVATE", "nor with an underscore (journald's own)")
        #expect(JournalLogHandler.fieldName("设备") == "X___", "non-ASCII letters are not allowed")
        #expect(JournalLogHandler.fieldName("message") == "M_MESSAGE", "metadata never overwrites the entry's own fields")
        #expect(JournalLogHandler.fieldName(String(repeating: "k", count: 100)).count == 64)
    }

    @Test func levelsMapToSyslogPriorities() {
        let expected: [(Logger.Level, Int)] = [
            (.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
        ]
        for (level, priority) in expected { #expect(JournalLogHandler.priority(level) == priority, "\(level)") }
    }

    @Test func theMessageCarriesTheMetadataForPlainJournalctl() {
        let fields = JournalLogHandler.fields(
            label: "smokegated", level: .notice, message: "stored alarm", metadata: ["format": "native", "device": "YQ-1"],
            file: "IngestPipeline.swift", function: "ingest(_:)", line: 42)
        #expect(fields.first == "MESSAGE=stored alarm device=YQ-1 format=native")
        #expect(fields.contains("PRIORITY=5") && fields.contains("DEVICE=YQ-1") && fields.contains("FORMAT=native"))
        #expect(fields.contains("CODE_LINE=42") && fields.contains("SYSLOG_IDENTIFIER=smokegated"))
    }
}
