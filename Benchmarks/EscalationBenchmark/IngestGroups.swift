import SmokeGateTestSupport

/// `smokegate_ingest_commits_total` and `…_committed_messages_total`, as scraped.
struct IngestGroups {
    var commits: Double
    var messages: Double

    var meanGroup: Double { commits > 0 ? messages / commits : 0 }

    static func scrape(port: Int) -> IngestGroups? {
        guard let text = HTTPProbe.get("/metrics", port: port)?.body else { return nil }
        // Found by its line's start, not by splitting the page: the burst scrapes it while it
        // runs, on the machine it measures.
        func sample(_ name: String) -> Double? {
            guard let start = text.range(of: "\n" + name + " ")?.upperBound else { return nil }
            return Double(text[start...].prefix { $0 != "\n" })
        }
        guard let commits = sample("smokegate_ingest_commits_total"),
            let messages = sample("smokegate_ingest_committed_messages_total")
        else { return nil }
        return IngestGroups(commits: commits, messages: messages)
    }

    func since(_ earlier: IngestGroups) -> IngestGroups {
        IngestGroups(commits: commits - earlier.commits, messages: messages - earlier.messages)
    }
}
