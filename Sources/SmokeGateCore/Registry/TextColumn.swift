/// Strings that mostly differ row to row (addresses, venues) packed as UTF-8 into one buffer:
/// a row costs its bytes and eight bytes of offsets, not a heap string of its own.
struct TextColumn: Sendable, Equatable {
    private var bytes: [UInt8] = []
    private var starts: [UInt32] = []
    private var ends: [UInt32] = []

    var count: Int { starts.count }

    subscript(row: Int) -> String {
        String(decoding: bytes[Int(starts[row])..<Int(ends[row])], as: UTF8.self)
    }

    /// The row's UTF-8 bytes, read in place.
    func withUTF8<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[Int(starts[row])..<Int(ends[row])])) }
    }

    func hash(_ row: Int, into hash: inout FNV1a) {
        bytes.withUnsafeBufferPointer { hash.combine(UnsafeBufferPointer(rebasing: $0[Int(starts[row])..<Int(ends[row])])) }
        hash.combine(0x1F)
    }

    mutating func append(_ value: String) {
        let (start, end) = store(value)
        starts.append(start)
        ends.append(end)
    }

    /// A replaced row's old bytes stay in the buffer unused: replacing is for imports, rare.
    mutating func replace(_ row: Int, with value: String) {
        (starts[row], ends[row]) = store(value)
    }

    mutating func reserveCapacity(_ count: Int, bytesPerRow: Int) {
        starts.reserveCapacity(count)
        ends.reserveCapacity(count)
        bytes.reserveCapacity(count * bytesPerRow)
    }

    /// Gives back capacity reserved beyond what was stored.
    mutating func trim() {
        if bytes.capacity > bytes.count + bytes.count / 8 { bytes = Array(bytes) }
    }

    private mutating func store(_ value: String) -> (UInt32, UInt32) {
        let start = UInt32(bytes.count)
        bytes.append(contentsOf: value.utf8)
        return (start, UInt32(bytes.count))
    }

    static func == (lhs: TextColumn, rhs: TextColumn) -> Bool {
        lhs.count == rhs.count && (0..<lhs.count).allSatisfy { lhs[$0] == rhs[$0] }
    }
}
