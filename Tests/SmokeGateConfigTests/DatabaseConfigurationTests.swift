import Foundation
import SmokeGateConfig
import SmokeGateCore
import Testing

/// `database:` as a SQLite path or a PostgreSQL URL, and `database_password_file`: the forms
/// an operator may write, each one refused with what is wrong, and never a password quoted.
@Suite struct DatabaseConfigurationTests {
    @Test func aPathStaysASQLiteFileBesideTheConfiguration() throws {
        let fixture = try DatabaseFixture("database: state/smokegate.db")
        let configuration = try fixture.load()
        #expect(configuration.databasePath == fixture.folder.appendingPathComponent("state/smokegate.db").path)
        #expect(configuration.postgres == nil && !configuration.usesPostgres && configuration.cluster == nil)
        #expect(configuration.storeSummary == "database: SQLite \(configuration.databasePath)")
        #expect(configuration.broker.clientID == "smokegated")
    }

    @Test func aPostgresURLTakesItsPasswordFromItsOwnFile() throws {
        let fixture = try DatabaseFixture(
            """
            database: "postgresql://smokegate@db.example.org:5433/smokegate?sslmode=verify-full"
            database_password_file: secrets/db.password
            """)
        try fixture.secret("db.password", " correct horse \n")
        let configuration = try fixture.load()
        let postgres = try #require(configuration.postgres)
        #expect(configuration.usesPostgres)
        #expect(
            postgres
                == PostgresLocation(
                    host: "db.example.org", port: 5433, user: "smokegate", database: "smokegate",
                    password: " correct horse ", tls: .verifyFull),
            "one trailing line break is dropped; the spaces are the password's")
        #expect(
            configuration.storeSummary == "database: PostgreSQL smokegate@db.example.org:5433/smokegate (sslmode=verify-full)")
        var dumped = ""
        dump(postgres, to: &dumped)
        for shown in [configuration.storeSummary, "\(postgres)", String(reflecting: postgres), postgres.redactedURL, dumped] {
            #expect(!shown.contains("horse"), "no password in \(shown)")
        }
    }

    @Test func aPostgresURLNeedsNoPasswordFileAndCRLFIsOneLineBreak() throws {
        let bare = try DatabaseFixture("database: postgres://gateway@127.0.0.1/smokegate")
        #expect(try bare.load().postgres == PostgresLocation(host: "127.0.0.1", user: "gateway", database: "smokegate"))

        let windows = try DatabaseFixture(
            """
            database: postgres://gateway@127.0.0.1/smokegate
            database_password_file: secrets/db.password
            """)
        try windows.secret("db.password", "pa55\r\n")
        #expect(try windows.load().postgres?.password == "pa55")
    }

    /// The operators' commands open the store as the daemon does, so they read its password
    /// even where they leave the receivers' secrets unopened.
    @Test func theConsoleReadsTheDatabasePasswordToo() throws {
        let fixture = try DatabaseFixture(
            """
            database: postgresql://smokegate@db.example.org/smokegate
            database_password_file: secrets/db.password
            """)
        try fixture.secret("db.password", "pa55\n")
        #expect(try fixture.load(readingSecrets: false).postgres?.password == "pa55")
    }

    @Test func goodURLForms() throws {
        let forms: [(String, PostgresLocation, String)] = [
            (
                "postgres://gw@127.0.0.1/smokegate", PostgresLocation(host: "127.0.0.1", user: "gw", database: "smokegate"),
                "gw@127.0.0.1:5432/smokegate"
            ),
            (
                "postgresql://gw@[::1]:6543/sg?sslmode=require",
                PostgresLocation(host: "::1", port: 6543, user: "gw", database: "sg", tls: .require), "gw@[::1]:6543/sg"
            ),
            (
                "POSTGRESQL://gw@Db-1.example.org:65535/smoke_gate?sslmode=disable",
                PostgresLocation(host: "Db-1.example.org", port: 65_535, user: "gw", database: "smoke_gate"),
                "gw@Db-1.example.org:65535/smoke_gate"
            ),
            (
                "postgresql://ops%40site@db:1/%E7%83%9F%E6%84%9F",
                PostgresLocation(host: "db", port: 1, user: "ops@site", database: "烟感"), "ops@site@db:1/烟感"
            ),
        ]
        for (text, expected, description) in forms {
            let location = try PostgresLocation(url: text)
            #expect(location == expected, "\(text)")
            #expect(location.description == description)
            #expect(try PostgresLocation(url: location.redactedURL) == location, "\(location.redactedURL) parses back")
        }
        #expect(PostgresLocation.isURL("postgresql://x") && PostgresLocation.isURL("Postgres://x"))
        #expect(!PostgresLocation.isURL("/var/lib/smokegate/smokegate.db") && !PostgresLocation.isURL("postgresql.db"))
        #expect(!PostgresLocation.isURL("c:postgresql://x"))
    }

    @Test func badURLFormsSayWhatIsWrong() {
        let long = String(repeating: "d", count: 64)
        let forms: [(String, String)] = [
            ("postgresql://gw:hunter2@db/smokegate", "put the password in database_password_file"),
            ("postgresql://gw:hunter2@ex/ample@db/smokegate", "put the password in database_password_file"),
            ("postgresql://gw:@db/smokegate", "put the password in database_password_file"),
            ("postgresql://gw@db/smokegate?password=hunter2", "put the password in database_password_file"),
            ("postgresql://db/smokegate", "names no user"),
            ("postgresql://@db/smokegate", "names no user"),
            ("postgresql://gw@/smokegate", "names no host"),
            ("postgresql://gw@db1,db2/smokegate", "more than one host"),
            ("postgresql://gw@%2Fvar%2Frun%2Fpostgresql/smokegate", "Unix socket"),
            ("postgresql://gw@db host/smokegate", "for a host"),
            ("postgresql://gw@[::1/smokegate", "without its ']'"),
            ("postgresql://gw@[db]/smokegate", "not an IPv6 address"),
            ("postgresql://gw@[::1]5432/smokegate", "not ':PORT'"),
            ("postgresql://gw@db:/smokegate", "no port"),
            ("postgresql://gw@db:0/smokegate", "a port is a whole number from 1 to 65535"),
            ("postgresql://gw@db:65536/smokegate", "a port is a whole number from 1 to 65535"),
            ("postgresql://gw@db:54x/smokegate", "a port is a whole number from 1 to 65535"),
            ("postgresql://gw@db:5432", "names no database"),
            ("postgresql://gw@db:5432/", "names no database"),
            ("postgresql://gw@db/smoke/gate", "a database is one name"),
            ("postgresql://gw@db/\(long)", "longer than 63 bytes"),
            ("postgresql://gw@db/smoke%zzgate", "two hex digits"),
            ("postgresql://gw@db/smoke%FFgate", "not UTF-8"),
            ("postgresql://gw@db/smoke%0Agate", "control character"),
            ("postgresql://gw@db/smokegate#main", "fragment"),
            (
                "postgresql://gw@db/smokegate?sslmode=prefer",
                "sslmode 'prefer', which is not taken (disable, require, verify-full): it falls back to plain text"
            ),
            ("postgresql://gw@db/smokegate?sslmode=verify-ca", "it does not check the host name"),
            ("postgresql://gw@db/smokegate?sslmode=on", "sslmode 'on', which is not taken"),
            ("postgresql://gw@db/smokegate?sslmode=require&sslmode=disable", "sslmode twice"),
            ("postgresql://gw@db/smokegate?connect_timeout=10", "parameter 'connect_timeout'"),
            ("mysql://gw@db/smokegate", "must start with postgresql:// or postgres://"),
        ]
        for (text, fragment) in forms {
            do {
                let location = try PostgresLocation(url: text)
                Issue.record("\(text) parsed as \(location)")
            } catch {
                #expect(error.message.contains(fragment), "\(text): \(error.message)")
                #expect(!error.message.contains("hunter2") && !error.message.contains("ample"), "no secret quoted: \(error)")
            }
        }
    }

    /// One run reports the URL, the password file and whatever else is wrong, each on its line.
    @Test func everyDatabaseProblemIsReportedAtOnceWithItsLine() throws {
        let fixture = try DatabaseFixture(
            """
            database: "postgresql://gw:hunter2@db.example.org/smokegate"
            database_password_file: secrets/open.password
            retention: { events: 1h }
            """)
        try fixture.secret("open.password", "hunter2\n", mode: 0o640)
        let problems = fixture.problems()
        fixture.expectProblem(
            problems, at: "database: ",
            "'database' is not a usable PostgreSQL URL: it holds a password: put the password in database_password_file")
        fixture.expectProblem(problems, at: "database_password_file", "group or others may open it (mode 0640): chmod 600")
        fixture.expectProblem(problems, at: "retention", "'retention.events' must be at least 1d")
        #expect(problems.count == 3, "\(problems.map(\.description).joined(separator: "\n"))")
        #expect(!problems.contains { $0.message.contains("hunter2") }, "no password is quoted")
    }

    @Test func aPasswordFileIsForPostgresOnly() throws {
        let fixture = try DatabaseFixture(
            """
            database: smokegate.db
            database_password_file: secrets/db.password
            """)
        try fixture.secret("db.password", "pa55\n")
        let problems = fixture.problems()
        fixture.expectProblem(
            problems, at: "database_password_file",
            "'database_password_file' is for a PostgreSQL database; 'database' is a SQLite file, which has no password")
        #expect(problems.count == 1)
    }

    @Test func anUnfitPasswordFileIsRefusedWithItsReason() throws {
        let cases: [(file: String, content: String?, fragment: String)] = [
            ("missing.password", nil, "secrets/missing.password: file not found"),
            ("empty.password", "\n", "secrets/empty.password: is empty"),
            ("two-lines.password", "pa55\nword\n", "must hold the password alone on one line"),
            ("blank-line.password", "pa55\n\n", "must hold the password alone on one line"),
            ("latin1.password", "p\u{E9}", "is not UTF-8 text"),
        ]
        for entry in cases {
            let fixture = try DatabaseFixture(
                """
                database: postgresql://gw@db/smokegate
                database_password_file: secrets/\(entry.file)
                """)
            if let content = entry.content {
                if entry.file.hasPrefix("latin1") {
                    let url = fixture.folder.appendingPathComponent("secrets/\(entry.file)")
                    try Data([0x70, 0xE9]).write(to: url)
                    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
                } else {
                    try fixture.secret(entry.file, content)
                }
            }
            let problems = fixture.problems()
            fixture.expectProblem(problems, at: "database_password_file", entry.fragment)
            #expect(problems.count == 1, "\(problems.map(\.description).joined(separator: "\n"))")
        }

        let folder = try DatabaseFixture(
            """
            database: postgresql://gw@db/smokegate
            database_password_file: secrets
            """)
        folder.expectProblem(folder.problems(), at: "database_password_file", "is a directory, not a file")
    }

    @Test func aURLOfAnotherDatabaseIsNotTakenForAPath() throws {
        let fixture = try DatabaseFixture("database: mysql://gw:hunter2@db/smokegate")
        let problems = fixture.problems()
        fixture.expectProblem(
            problems, at: "database: ",
            "'database' is a 'mysql://' URL: give a SQLite file's path, or postgresql://USER@HOST:5432/DATABASE")
        #expect(!problems.contains { $0.message.contains("hunter2") })
    }
}
