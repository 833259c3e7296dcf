import SmokeGateCore

/// One person who may log in to the web console (`operators.yaml`): the name they log in
/// with, the name the timeline shows, what they may do, and a bcrypt hash of their password.
/// The password itself is never stored.
public struct OperatorAccount: Sendable, Equatable {
    public var name: String
    public var displayName: String
    public var role: OperatorRole
    public var passwordHash: String

    public init(name: String, displayName: String, role: OperatorRole, passwordHash: String) {
        self.name = name
        self.displayName = displayName
        self.role = role
        self.passwordHash = passwordHash
    }
}
