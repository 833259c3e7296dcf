import Foundation
import SmokeGateConfig
import SmokeGateCore
import Testing

/// `answer:` refused where a link would point nowhere, could be forged, or would outlive its
/// use, each problem on its line; all of them at once.
@Suite struct AnswerProblemTests {
    static let key = String(repeating: "k", count: 32)

    /// One broken `answer:`, the line its problem is on (a marker in the main file), and the problem.
    struct Case: Sendable, CustomTestStringConvertible {
        var answer: String
        var marker: String
        var problem: String
        var key = AnswerProblemTests.key
        var keyMode = 0o600
        var http = true
        var testDescription: String { problem }
    }

    static let cases: [Case] = [
        Case(
            answer: "answer: { base_url: smokegate.example.org, secret_file: secrets/answer.key }", marker: "answer:",
            problem: "'answer.base_url' must be an absolute http(s) URL with a host, got 'smokegate.example.org'"),
        Case(
            answer: "answer: { base_url: \"ftp://smokegate.example.org\", secret_file: secrets/answer.key }", marker: "answer:",
            problem: "'answer.base_url' must be an absolute http(s) URL with a host, got 'ftp://smokegate.example.org'"),
        Case(
            answer: "answer: { base_url: \"https:///answers\", secret_file: secrets/answer.key }", marker: "answer:",
            problem: "'answer.base_url' must be an absolute http(s) URL with a host, got 'https:///answers'"),
        Case(
            answer: "answer: { base_url: \"https://smokegate.example.org/?via=proxy\", secret_file: secrets/answer.key }",
            marker: "answer:",
            problem:
                "'answer.base_url' must not carry a query or a fragment (links are {base_url}/answer/{token}), got 'https://smokegate.example.org/?via=proxy'"
        ),
        Case(
            answer: "answer: { base_url: \"https://smokegate.example.org/#top\", secret_file: secrets/answer.key }",
            marker: "answer:", problem: "'answer.base_url' must not carry a query or a fragment"),
        Case(
            answer: "answer: { base_url: \"https://ops:SECRET-P@smokegate.example.org\", secret_file: secrets/answer.key }",
            marker: "answer:", problem: "'answer.base_url' must not carry a user or a password"),
        Case(
            answer: "answer:\n  secret_file: secrets/answer.key", marker: "secret_file:",
            problem: "'answer.base_url' is required"),
        Case(
            answer: "answer:\n  base_url: \"https://smokegate.example.org\"", marker: "base_url:",
            problem: "'answer.secret_file' is required"),
        Case(
            answer: "answer:\n  base_url: \"https://smokegate.example.org\"\n  secret_file: secrets/answer.key",
            marker: "secret_file:",
            problem:
                "'answer.secret_file' secrets/answer.key: holds 31 bytes, at least 32 are needed (write one with: openssl rand -base64 48)",
            key: String(repeating: "k", count: 31) + "\n"),
        Case(
            answer: "answer:\n  base_url: \"https://smokegate.example.org\"\n  secret_file: secrets/answer.key",
            marker: "secret_file:", problem: "'answer.secret_file' secrets/answer.key: group or others may open it (mode 0644)",
            keyMode: 0o644),
        Case(
            answer: "answer:\n  base_url: \"https://smokegate.example.org\"\n  secret_file: secrets/nowhere.key",
            marker: "secret_file:", problem: "'answer.secret_file' secrets/nowhere.key: file not found"),
        Case(
            answer: "answer:\n  base_url: \"https://smokegate.example.org\"\n  secret_file: secrets/answer.key\n  valid_for: 30s",
            marker: "valid_for:", problem: "'answer.valid_for' must be from 1m to 7d, got '30s'"),
        Case(
            answer: "answer:\n  base_url: \"https://smokegate.example.org\"\n  secret_file: secrets/answer.key\n  valid_for: 8d",
            marker: "valid_for:", problem: "'answer.valid_for' must be from 1m to 7d, got '8d'"),
        Case(
            answer: "answer:\n  base_url: \"https://smokegate.example.org\"\n  secret_file: secrets/answer.key\n"
                + "  sms_reply_secret_file: secrets/reply.path",
            marker: "sms_reply_secret_file:",
            problem:
                "'answer.sms_reply_secret_file' secrets/reply.path: must hold at least 16 letters, digits, '-' or '_' (the secret part of POST /answer/sms/…)"
        ),
        Case(
            answer: "answer:\n  base_url: \"https://smokegate.example.org\"\n  secret_file: secrets/answer.key",
            marker: "answer:",
            problem:
                "'answer' needs 'http.listen': answer links and SMS replies are served there, and would point nowhere",
            http: false),
        Case(
            answer:
                "answer:\n  base_url: \"https://smokegate.example.org\"\n  secret_file: secrets/answer.key\n  valid_after: 1h",
            marker: "valid_after:", problem: "unknown key 'answer.valid_after'"),
    ]

    @Test(arguments: cases)
    func aBrokenAnswerIsNamedOnItsLine(_ broken: Case) throws {
        let fixture = try ReceiverFixture(
            broken.answer, chain: ReceiverConfigurationTests.chainWithoutReceivers, http: broken.http)
        try fixture.secret("answer.key", broken.key, mode: broken.keyMode)
        try fixture.secret("reply.path", "short/path\n")
        let problems = fixture.problems()
        fixture.expectProblem(problems, at: broken.marker, broken.problem)
        #expect(problems.count == 1, "\(problems.map(\.description).joined(separator: "\n"))")
        #expect(!problems.contains { $0.description.contains("SECRET") || $0.description.contains(Self.key) })
    }

    @Test func everyAnswerProblemIsReportedAtOnce() throws {
        let fixture = try ReceiverFixture(
            """
            answer:
              base_url: "https://smokegate.example.org?x"
              secret_file: secrets/answer.key
              valid_for: 0s
              sms_reply_secret_file: secrets/reply.path
            """, chain: ReceiverConfigurationTests.chainWithoutReceivers, http: false)
        try fixture.secret("answer.key", "short", mode: 0o640)
        try fixture.secret("reply.path", "")
        let problems = fixture.problems()
        fixture.expectProblem(problems, at: "answer:", "'answer' needs 'http.listen'")
        fixture.expectProblem(problems, at: "base_url:", "'answer.base_url' must not carry a query or a fragment")
        fixture.expectProblem(problems, at: "secret_file: secrets/answer.key", "group or others may open it (mode 0640)")
        fixture.expectProblem(problems, at: "secret_file: secrets/answer.key", "holds 5 bytes, at least 32 are needed")
        fixture.expectProblem(problems, at: "valid_for:", "'answer.valid_for' must be from 1m to 7d, got '0s'")
        fixture.expectProblem(problems, at: "sms_reply_secret_file:", "secrets/reply.path: is empty")
        #expect(problems.count == 6, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test(arguments: ["1m", "7d"])
    func theValidityBoundsAreAccepted(validFor: String) throws {
        let fixture = try ReceiverFixture(
            "answer: { base_url: \"http://127.0.0.1:9466\", secret_file: secrets/answer.key, valid_for: \(validFor) }",
            chain: ReceiverConfigurationTests.chainWithoutReceivers)
        try fixture.secret("answer.key", Self.key)
        let configuration = try fixture.load()
        #expect(configuration.answer?.validFor == DurationText.parse(validFor))
        #expect(configuration.warnings.isEmpty, "loopback over plain http: no warning")
    }
}
