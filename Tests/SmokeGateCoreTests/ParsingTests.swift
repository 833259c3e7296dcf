import Foundation
import SmokeGateCore
import Testing

/// The small parsers the ingest path depends on: JSON, durations, RFC 3339, topic filters.
@Suite struct ParsingTests {
    @Test func jsonParsesWhatRFC8259Allows() throws {
        let value = try JSONParser.parse(
            Array(#" {"a": [1, -2.5e2, true, false, null], "b": "\u00e9\ud83d\ude00\n", "a": 3} "#.utf8))
        let object = try #require(value.objectValue)
        #expect(object["a"] == .number(3), "a repeated key keeps its last value")
        #expect(object["b"] == .string("é😀\n"))
        #expect(object.members.first?.value == .array([.number(1), .number(-250), .bool(true), .bool(false), .null]))
    }

    @Test(arguments: ["", "{", "{\"a\"}", "[1,]", "01", "1.", "\"\\x\"", "\"\u{01}\"", "tru", "{} x", "\"\\ud800\"", "nul"])
    func jsonRejects(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func jsonNamesWhereItBroke() {
        do {
            _ = try JSONParser.parse(Array(#"{"type": alarm}"#.utf8))
            Issue.record("parsed")
        } catch {
            #expect(error.offset == 9)
        }
    }

    @Test func aDurationTooLargeForMillisecondsIsNotADurationAndNothingTraps() {
        // A sum that overflows, a product that overflows, and a sum of units that does.
        for huge in ["99999999999d99999999999d", "106751991168d", "100000000000d10000000000d", "106751991167d1d"] {
            #expect(DurationText.parse(huge) == nil, "\(huge)")
        }
        // Huge but representable: parsed, and longer than anything the gateway accepts.
        let huge = DurationText.parse("99999999999d")
        #expect(huge == .seconds(99_999_999_999 * 86_400))
        #expect(huge.map { $0 > DurationText.longest } == true && DurationText.longestText == "36500d")
        #expect(DurationText.parse("36500d") == DurationText.longest)
    }

    @Test func durationsAsTheConfigurationWritesThem() {
        #expect(DurationText.parse("250ms") == .milliseconds(250))
        #expect(DurationText.parse("15s") == .seconds(15))
        #expect(DurationText.parse("3m") == .seconds(180))
        #expect(DurationText.parse("2h") == .seconds(7_200))
        #expect(DurationText.parse("1d") == .seconds(86_400))
        #expect(DurationText.parse("1h30m") == .seconds(5_400))
        #expect(DurationText.parse("0s") == .zero)
        for bad in ["", "3", "m", "3x", "-3s", "3 m", "1.5s", "99999999999999d"] {
            #expect(DurationText.parse(bad) == nil, "\(bad)")
        }
        #expect(DurationText.format(.seconds(5_400)) == "1h30m")
    }

    @Test func rfc3339WithOffsetsAndFractions() {
        #expect(RFC3339.parse("2026-11-22T08:00:00Z") == Date(timeIntervalSince1970: 1_795_334_400))
        #expect(RFC3339.parse("2026-11-22T16:00:00+08:00") == Date(timeIntervalSince1970: 1_795_334_400))
        #expect(RFC3339.parse("2026-11-22T08:00:00.250Z") == Date(timeIntervalSince1970: 1_795_334_400.25))
        for bad in ["2026-11-22", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-22T08:00:00", "x"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_795_334_400.25)) == "2026-11-22T08:00:00.250Z")
    }

    @Test func topicFiltersCaptureTheDevice() throws {
        let native = try TopicFilter("smokegate/detectors/+/event")
        #expect(native.match("smokegate/detectors/det-1/event") == "det-1")
        #expect(native.match("smokegate/detectors/det-1/other") == nil)
        #expect(native.match("smokegate/detectors/det-1") == nil)
        let zigbee = try TopicFilter("zigbee2mqtt/#")
        #expect(zigbee.match("zigbee2mqtt/floor 1/kitchen") == "floor 1/kitchen")
        let plus = try TopicFilter("+/x")
        #expect(plus.match("$SYS/x") == nil)
        #expect(throws: InvalidTopicFilter.self) { try TopicFilter("a/#/b") }
        #expect(throws: InvalidTopicFilter.self) { try TopicFilter("a/b+") }
    }
}
