import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a file the console rewrites (the device registry, the operators'
/// accounts), held by one command at a time: a lock file beside it (`devices.csv.lock`),
/// locked with flock(2), so two commands run one after the other and each merges into what
/// the other wrote. The kernel drops the lock when the process ends, however it ends.
struct FileLock: ~Copyable {
    let path: String
    private let descriptor: Int32

    /// Takes the lock of `file`, waiting (and saying so on stderr) while another command holds it.
    init(of file: String) throws {
        path = file + ".lock"
        descriptor = try Self.lock(path, file: file)
    }

    private static func lock(_ path: String, file: String) throws -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
        guard descriptor >= 0 else {
            throw ConsoleFailure(
                "cannot open the lock file \(path): \(String(cString: strerror(errno))) "
                    + "(run as a member of the smokegate group, or with sudo)")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return descriptor }
        var code = errno
        if code == EWOULDBLOCK {
            FileHandle.standardError.write(Data("smokegate: waiting for another smokegate command on \(file) to finish\n".utf8))
            while true {
                if flock(descriptor, LOCK_EX) == 0 { return descriptor }
                code = errno
                if code != EINTR { break }
            }
        }
        close(descriptor)
        throw ConsoleFailure("cannot lock \(path): \(String(cString: strerror(code)))")
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
