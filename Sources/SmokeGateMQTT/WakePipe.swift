import Foundation
import Synchronization

/// A pipe whose read end a poll watches, so that another thread can cut the wait short:
/// the read pass's counterpart of the socket pair libmosquitto keeps for its own loop. Open
/// only while the network thread runs; ringing a closed one does nothing (never a write to a
/// descriptor number the process has since given to something else).
final class WakePipe: Sendable {
    private let ends = Mutex<(read: Int32, write: Int32)?>(nil)

    /// The end to poll, or -1 (which poll ignores) when closed.
    var readEnd: Int32 { ends.withLock { $0?.read ?? -1 } }

    /// Opens the pipe, both ends non-blocking; false if the system refused (the pass then
    /// wakes on its poll's timeout alone).
    @discardableResult
    func open() -> Bool {
        ends.withLock { ends in
            guard ends == nil else { return true }
            var pair: [Int32] = [-1, -1]
            guard pipe(&pair) == 0 else { return false }
            for end in pair {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
            ends = (pair[0], pair[1])
            return true
        }
    }

    func close() {
        ends.withLock { ends in
            guard let open = ends else { return }
            _ = Glibc.close(open.read)
            _ = Glibc.close(open.write)
            ends = nil
        }
    }

    /// Makes the next (or current) poll on `readEnd` return. Never blocks: a full pipe
    /// already wakes it.
    func ring() {
        ends.withLock { ends in
            guard let open = ends else { return }
            var byte: UInt8 = 0
            _ = write(open.write, &byte, 1)
        }
    }

    /// Empties the pipe after a wake-up, so that the next poll waits again.
    func drain() {
        ends.withLock { ends in
            guard let open = ends else { return }
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(open.read, &buffer, buffer.count) > 0 {}
        }
    }
}
