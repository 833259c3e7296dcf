extension JSONObjectView {
    /// One top-level member of an object, as sent and as read.
    public struct RawMember: Sendable, Equatable {
        /// The value's bytes exactly as they stand in the document (a signature is over them).
        public var raw: [UInt8]
        /// The value read as a tree.
        public var value: JSONValue
    }

    /// The top-level members of `bytes` when they are one JSON object (the last of a repeated
    /// key wins); nil for anything else. For envelopes whose signature covers a member's bytes
    /// exactly as sent, such as OneNET's push.
    public static func members(of bytes: [UInt8]) -> [String: RawMember]? {
        bytes.withUnsafeBytes { buffer -> [String: RawMember]? in
            guard case .object(let view)? = try? scan(buffer) else { return nil }
            var found: [String: RawMember] = [:]
            for member in view.members {
                var parser = JSONParser(bytes: buffer)
                parser.index = member.keyStart - 1
                guard let key = try? parser.parseString() else { continue }
                found[key] = RawMember(
                    raw: Array(buffer[member.valueStart..<member.valueEnd]), value: view.value(member))
            }
            return found
        }
    }
}
