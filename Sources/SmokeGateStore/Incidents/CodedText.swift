import Foundation
import GRDB
import SmokeGateCore

/// The text a reply code names: the delivery that carried the code to one person's phone,
/// so that `1 CODE` from that phone acknowledges as that person.
public struct CodedText: Sendable, Equatable {
    public var delivery: Int64
    public var incident: Int64
    public var tier: Tier?
    public var unit: String
    public var contactID: String?
    public var contactName: String?
    public var phone: String
    /// When the call was made: the code works for `answer.valid_for` after it.
    public var calledAt: Date

    /// Who the acknowledgement is recorded as: the contact's name, else their id, else the
    /// number the text went to.
    public var person: String { contactName ?? contactID ?? phone }
}
