import ArgumentParser
import Foundation
import HummingbirdBcrypt
import SmokeGateConfig
import SmokeGateCore

extension Smokegate.Operator {
    /// bcrypt's cost: 2^12 rounds, a quarter of a second or so per login on a small server,
    /// far too slow to try a stolen file's passwords by the million.
    static let cost: UInt8 = 12

    /// `smokegate operator add NAME`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a console account.",
            discussion: """
                Examples:
                  smokegate operator add wang.wei --display-name 王伟
                  smokegate operator add wall --role viewer --display-name 指挥中心大屏
                  printf '%s\\n' "$PASSWORD" | smokegate operator add li.na --password-file -
                """)

        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The login name: a-z first, then a-z, 0-9, '.', '-' or '_' (at most 32).") var name: String
        @Option(help: "duty (acts on incidents) or viewer (only watches).") var role: OperatorRole = .duty
        @Option(help: "The name timelines and the console show (the login name if not given).") var displayName: String?
        @Option(help: "Read the password from the first line of this file (- for standard input).") var passwordFile: String?

        func run() async throws {
            try reportingFailures {
                if let problem = OperatorName.problem(with: name) { throw ConsoleFailure(problem) }
                if let displayName, let problem = OperatorName.problem(withDisplay: displayName) {
                    throw ConsoleFailure(problem)
                }
                var book = try OperatorBook(options)
                if book.accounts.contains(where: { $0.name == name }) {
                    throw ConsoleFailure(
                        "operator '\(name)' exists in \(book.path): change the password with smokegate operator passwd \(name)")
                }
                let password = try PasswordSource.read(file: passwordFile, for: name)
                let account = OperatorAccount(
                    name: name, displayName: displayName ?? name, role: role,
                    passwordHash: Bcrypt.hash(password, cost: Smokegate.Operator.cost))
                book.accounts.append(account)
                let path = book.path
                try book.save()
                print("added operator \(name) (\(account.displayName), \(role.rawValue)) to \(path)")
            }
        }
    }

    /// `smokegate operator passwd NAME`.
    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a console account's password.")

        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The login name.") var name: String
        @Option(help: "Read the password from the first line of this file (- for standard input).") var passwordFile: String?

        func run() async throws {
            try reportingFailures {
                var book = try OperatorBook(options)
                let index = try book.index(of: name)
                let password = try PasswordSource.read(file: passwordFile, for: name)
                book.accounts[index].passwordHash = Bcrypt.hash(password, cost: Smokegate.Operator.cost)
                let path = book.path
                try book.save()
                print("set the password of operator \(name) in \(path)")
            }
        }
    }

    /// `smokegate operator remove NAME`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a console account.",
            discussion: "The last duty account is kept unless --force is given: without one, nobody can act in the console.")

        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The login name.") var name: String
        @Flag(help: "Remove the last duty account too.") var force = false

        func run() async throws {
            try reportingFailures {
                var book = try OperatorBook(options)
                let index = try book.index(of: name)
                let removed = book.accounts.remove(at: index)
                if removed.role.mayAct, !book.accounts.contains(where: { $0.role.mayAct }), !force {
                    throw ConsoleFailure(
                        "'\(name)' is the last duty account: nobody could act in the console without one "
                            + "(add another first, or pass --force); nothing was changed")
                }
                let path = book.path
                try book.save()
                print("removed operator \(name) from \(path)")
            }
        }
    }
}

extension OperatorRole: ExpressibleByArgument {}
