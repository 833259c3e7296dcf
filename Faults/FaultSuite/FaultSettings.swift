/// How hard the suite pushes, from the command line.
struct FaultSettings: Sendable {
    var quick: Bool
    var kills: Int
    var seed: UInt64
}
