import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// The text with reply code `code` sent to `phone` (spelled in any usual way: `+86 138…`,
    /// `86138…`, `138 0000 0002`) whose call was made less than `validFor` before `now`; the
    /// latest if there are several. Nil when the code is unknown, went to another phone, or is
    /// too old: a code is only good from the phone it was sent to.
    public func text(answerCode code: String, from phone: String, validFor: Duration, at now: Date) throws -> CodedText? {
        let sender = Self.normalisedPhone(phone)
        guard !code.isEmpty, !sender.isEmpty else { return nil }
        let since = now.timeIntervalSince1970 - validFor.secondsValue
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, incident_id, tier, unit_id, contact_id, contact_name, phone, created_at FROM delivery
                    INDEXED BY delivery_by_code WHERE answer_code = ? AND phone IS NOT NULL AND created_at > ?
                    ORDER BY created_at DESC, id DESC
                    """,
                arguments: [code, since]
            )
            .lazy.filter { Self.normalisedPhone($0["phone"]) == sender }
            .map { row in
                CodedText(
                    delivery: row["id"], incident: row["incident_id"], tier: Tier(rawValue: row["tier"]), unit: row["unit_id"],
                    contactID: row["contact_id"], contactName: row["contact_name"], phone: row["phone"],
                    calledAt: row["created_at"])
            }
            .first
        }
    }

    /// The name a call to `contact` of `unit` about `incident` went out under, from its
    /// delivery; nil if no delivery to that person is stored.
    public func contactName(incident: Int64, unit: String, contact: String) throws -> String? {
        try read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT contact_name FROM delivery INDEXED BY delivery_by_incident
                    WHERE incident_id = ? AND unit_id = ? AND contact_id = ? AND contact_name IS NOT NULL ORDER BY id DESC LIMIT 1
                    """,
                arguments: [incident, unit, contact])
        }
    }

    /// A phone number reduced to its digits, without China's country code (`+86`, `0086`,
    /// `86` before an 11-digit mobile number), so that the provider's spelling of a sender
    /// matches the one the chain gave.
    public static func normalisedPhone(_ phone: String) -> String {
        var digits = String(phone.filter { $0.isASCII && $0.isNumber })
        if digits.hasPrefix("0086") {
            digits.removeFirst(4)
        } else if digits.hasPrefix("86"), digits.count == 13 {
            digits.removeFirst(2)
        }
        return digits
    }
}

extension IncidentChange {
    /// The change with `channel` on the lines a person's operation writes (those with a `by`).
    func recording(channel: String?) -> IncidentChange {
        guard let channel else { return self }
        var change = self
        change.actions = actions.map {
            guard case .record(var entry) = $0, entry.by != nil else { return $0 }
            entry.channel = channel
            return .record(entry)
        }
        return change
    }
}
