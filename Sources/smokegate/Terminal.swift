import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The terminal for a full-screen view: raw keys, the alternate screen, and the way back.
///
/// Whatever ends the view (a key, Ctrl-C, SIGTERM, SIGHUP), the terminal is put back as it
/// was: the original settings are kept where a signal handler can reach them.
enum Terminal {
    /// The settings to restore, set while a full-screen view runs.
    nonisolated(unsafe) private static var saved: termios?

    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Raw keys (no echo, no line buffering, Ctrl-C as a key), the alternate screen, no cursor.
    static func enterFullScreen() {
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return }
        saved = settings
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            Glibc.signal(signal) { number in
                Terminal.leaveFullScreen()
                _exit(128 + number)
            }
        }
        write("\u{1B}[?1049h\u{1B}[?25l")
    }

    /// Puts the terminal back: settings, main screen, cursor.
    static func leaveFullScreen() {
        guard var settings = saved else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        write("\u{1B}[?25h\u{1B}[?1049l")
    }

    /// Waits up to `timeout` for a key; returns the bytes typed, empty if none.
    static func readKeys(timeout: Duration) -> [UInt8] {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout.wholeMillisecondsForPoll)) > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(STDIN_FILENO, &buffer, buffer.count)
        return count > 0 ? Array(buffer.prefix(count)) : [0x04]
    }

    /// Draws `lines` from the top left, clearing what the last frame left behind.
    static func draw(_ lines: [String]) {
        write("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J")
    }

    /// The terminal's size in rows and columns (24×80 when it cannot say).
    static var size: (rows: Int, columns: Int) {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0 else { return (24, 80) }
        return (Int(window.ws_row), Int(window.ws_col))
    }

    private static func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }
}

extension Duration {
    fileprivate var wholeMillisecondsForPoll: Int64 {
        let (seconds, attoseconds) = components
        return max(0, seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }
}
