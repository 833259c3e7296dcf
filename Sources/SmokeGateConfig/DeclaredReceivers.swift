import SmokeGateCore

/// The receivers `receivers:` declares, as the chain's units may name them: every entry with a
/// name counts as declared (even one whose type is wrong), so that one mistake is reported
/// once, not again at every unit naming it.
struct DeclaredReceivers {
    var names: Set<String> = []
    var kinds: [String: ReceiverKind] = [:]
}
