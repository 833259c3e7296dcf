import Foundation
import SmokeGateConfig

#if canImport(Glibc)
    import Glibc
#endif

/// Where a new console password comes from: a file (`--password-file`, `-` for standard
/// input, for scripts), or the terminal, asked twice with echo off, as passwd(1) does.
enum PasswordSource {
    /// The password for `name`, checked against `PasswordRules`.
    static func read(file: String?, for name: String) throws -> String {
        let password = try file.map(fromFile) ?? fromTerminal(for: name)
        if let problem = PasswordRules.problem(with: password, for: name) {
            throw ConsoleFailure("\(problem); nothing was changed")
        }
        return password
    }

    /// The file's first line, without its line end.
    private static func fromFile(_ file: String) throws -> String {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw ConsoleFailure("cannot read the password file \(file): \(error.localizedDescription)")
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConsoleFailure("the password file \(file) is not UTF-8 text")
        }
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(line.hasSuffix("\r") ? line.dropLast() : line)
    }

    private static func fromTerminal(for name: String) throws -> String {
        let terminal = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard terminal >= 0 else {
            throw ConsoleFailure(
                "no terminal to ask the password on: pass --password-file FILE (or --password-file - for standard input)")
        }
        defer { close(terminal) }
        let first = try ask("New password for \(name): ", on: terminal)
        let second = try ask("The same password again: ", on: terminal)
        guard first == second else { throw ConsoleFailure("the two passwords differ; nothing was changed") }
        return first
    }

    /// One line read from `terminal` with its echo off, restored afterwards, and on ^C too.
    private static func ask(_ prompt: String, on terminal: Int32) throws -> String {
        put(prompt, on: terminal)
        var settings = termios()
        let isTerminal = tcgetattr(terminal, &settings) == 0
        if isTerminal {
            var quiet = settings
            quiet.c_lflag &= ~tcflag_t(ECHO)
            TerminalRestore.keep(settings, of: terminal)
            tcsetattr(terminal, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal {
                tcsetattr(terminal, TCSAFLUSH, &settings)
                TerminalRestore.forget()
                put("\n", on: terminal)
            }
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = Glibc.read(terminal, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else {
                throw ConsoleFailure("the terminal closed before a password was given; nothing was changed")
            }
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        guard let text = String(validating: line, as: UTF8.self) else {
            throw ConsoleFailure("the password is not UTF-8 text; nothing was changed")
        }
        return text
    }

    private static func put(_ text: String, on terminal: Int32) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(terminal, $0.baseAddress, $0.count) }
    }
}

/// The terminal's settings while a password is asked with echo off, for the ^C handler to put
/// back: an interrupted prompt must not leave the operator's terminal without echo.
private enum TerminalRestore {
    nonisolated(unsafe) private static var saved: (terminal: Int32, settings: termios)?

    static func keep(_ settings: termios, of terminal: Int32) {
        saved = (terminal, settings)
        signal(SIGINT) { number in
            if var kept = TerminalRestore.saved?.settings, let terminal = TerminalRestore.saved?.terminal {
                tcsetattr(terminal, TCSANOW, &kept)
            }
            signal(number, SIG_DFL)
            raise(number)
        }
    }

    static func forget() {
        saved = nil
        signal(SIGINT, SIG_DFL)
    }
}
