/// What an operator may do in the console: the duty officer acts (acknowledge, resolve,
/// silence); a viewer, such as the wall screen's account, only watches.
public enum OperatorRole: String, Sendable, CaseIterable {
    case duty
    case viewer

    public var mayAct: Bool { self == .duty }
}
