/// Follows PostgreSQL's messages in what a server sends, read in chunks of any size, to find
/// where a message of a given type ends: each message is one type byte and a four-byte
/// big-endian length that counts itself and the body (the frontend/backend protocol, v3).
struct PostgresMessageEnds {
    /// The bytes of the current message's header read so far (up to five).
    private var header: [UInt8] = []
    /// The current message's body bytes still to come.
    private var bodyLeft = 0

    /// The offsets in `chunk` just past each message of type `type` that ends in it.
    mutating func ends(of type: UInt8, in chunk: ArraySlice<UInt8>) -> [Int] {
        var found: [Int] = []
        var index = chunk.startIndex
        while index < chunk.endIndex {
            if header.count < 5 {
                header.append(chunk[index])
                index += 1
                if header.count == 5 {
                    let length = header[1...4].reduce(0) { $0 << 8 | Int($1) }
                    bodyLeft = length - 4
                } else {
                    continue
                }
            } else {
                let taken = min(bodyLeft, chunk.endIndex - index)
                bodyLeft -= taken
                index += taken
            }
            if bodyLeft == 0 {
                if header[0] == type { found.append(index) }
                header.removeAll(keepingCapacity: true)
            }
        }
        return found
    }
}
