extension DeviceRegistry {
    /// Identifies the registry's content, in order: equal registries have equal fingerprints,
    /// and the database keeps the fingerprint it was last synced to.
    public var fingerprint: String {
        var hash = FNV1a()
        for position in indices {
            hashFields(at: position, into: &hash)
            hash.combine(0x1E)
        }
        let hex = String(hash.value, radix: 16)
        return "fnv1a64:\(String(repeating: "0", count: 16 - hex.count))\(hex):\(count)"
    }
}
