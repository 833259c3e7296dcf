import Foundation

/// The disk's share of the floor: a small write made durable (`write` + `fsync`) beside the
/// daemon's database, timed between alarms under the same load. An alarm is committed with an
/// fsync before its call leaves, so no gateway can answer faster than the broker's round trip
/// plus one of these; the target is judged against both, measured in the same run.
final class DiskProbe {
    private let descriptor: Int32
    private let path: String
    private let block = [UInt8](repeating: 0x2a, count: 512)

    init(folder: URL) throws {
        path = folder.appendingPathComponent("disk-probe").path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw BenchError("cannot open the disk probe \(path): errno \(errno)") }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// One durable write of 512 bytes; its milliseconds, or nil if the write failed.
    func durableWrite() -> Double? {
        let start = ContinuousClock.now
        let written = block.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == block.count, fsync(descriptor) == 0 else { return nil }
        return start.duration(to: .now).milliseconds
    }
}
