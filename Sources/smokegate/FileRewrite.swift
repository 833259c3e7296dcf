import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a file the daemon reads (the device registry, the operators' accounts) so that
/// the daemon sees the old file or the new one, never half of one, and so that an
/// operator's umask neither opens the file up nor locks the daemon out: the new text goes to
/// a file of its own beside it, made with the old file's mode and group (or `newFileMode`)
/// before a byte is written, flushed to the disk, and renamed over the old.
enum FileRewrite {
    static func replace(_ path: String, with text: String, newFileMode: mode_t) throws {
        var old = stat()
        let exists = stat(path, &old) == 0
        let mode = exists ? old.st_mode & 0o7777 : newFileMode
        let temporary = path + ".new-\(getpid())"
        do {
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw Failure(errno) }
            defer { close(descriptor) }
            // The group first, while only the owner may read it; a group this account is not
            // in cannot be given, and then the file keeps the account's own.
            if exists { _ = fchown(descriptor, uid_t.max, old.st_gid) }
            guard fchmod(descriptor, mode) == 0 else { throw Failure(errno) }
            let bytes = Array(text.utf8)
            var written = 0
            while written < bytes.count {
                let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw Failure(errno) }
                written += count
            }
            guard fsync(descriptor) == 0 else { throw Failure(errno) }
            guard rename(temporary, path) == 0 else { throw Failure(errno) }
        } catch let failure as Failure {
            unlink(temporary)
            throw ConsoleFailure(
                "cannot write \(path): \(String(cString: strerror(failure.code))) "
                    + "(run as a member of the smokegate group, or with sudo)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let directory = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    private struct Failure: Error {
        let code: Int32
        init(_ code: Int32) { self.code = code }
    }
}
