#if canImport(Glibc)
    import Glibc
#endif

/// The unprivileged account the server runs as when the tests run as root (PostgreSQL refuses root).
struct ServerUser {
    let name: String
    let uid: uid_t
    let gid: gid_t

    /// Debian's `postgres` account, else `nobody`; nil when we are not root.
    static func forThisProcess() throws -> ServerUser? {
        guard geteuid() == 0 else { return nil }
        for name in ["postgres", "nobody"] {
            if let entry = getpwnam(name) { return ServerUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid) }
        }
        throw TestSupportError("running as root, and neither a postgres nor a nobody account exists to run PostgreSQL")
    }
}
