import ArgumentParser
import Foundation
import SmokeGateConfig

extension Smokegate.Operator {
    /// `smokegate operator list`: who may log in, and as what; never a hash.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the console's accounts: login name, display name, role.",
            discussion: """
                Examples:
                  smokegate operator list
                  smokegate operator list --json | jq -r '.[] | select(.role == "duty") | .name'
                """)

        @OptionGroup var options: ConsoleOptions
        @Flag(name: .long, help: "Print one JSON array on stdout.") var json = false

        func run() async throws {
            try reportingFailures {
                let book = try OperatorBook(options)
                if json {
                    return JSONOutput.print(
                        book.accounts.map { ["name": $0.name, "display_name": $0.displayName, "role": $0.role.rawValue] })
                }
                guard !book.accounts.isEmpty else {
                    return print("no operators in \(book.path) (add one with: smokegate operator add NAME)")
                }
                var table = TextTable(["NAME", "DISPLAY NAME", "ROLE"])
                for account in book.accounts { table.add([account.name, account.displayName, account.role.rawValue]) }
                print(table.render())
            }
        }
    }
}
