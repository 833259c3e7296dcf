import Foundation
import GRDB
import SmokeGateCore

extension Store {
    /// One delivery per (call, receiver); for texts and voice calls, one per person of the
    /// unit with a phone, each phone once (a person listed twice is called once), and a voice
    /// call once per person and tier of an incident. A text of a `notify` carries a fresh
    /// six-digit answer code.
    func writeDeliveries(
        _ call: CallOnRecord, receivers: [(name: String, kind: ReceiverKind)], contacts: [Contact], _ db: any SQLConnection
    ) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO delivery (outbox_id, notification, incident_id, tier, unit_id, action, receiver, contact_id,
                                      contact_name, phone, answer_code, priority, created_at, next_attempt_at, is_failure_notice,
                                      tell_after)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for receiver in receivers {
            var people: [Contact?] = [nil]
            if receiver.kind.addressesPeople {
                var phones = Set<String>()
                people = contacts.filter { !$0.phone.isEmpty && phones.insert(Self.phoneKey($0.phone)).inserted }
            }
            for person in people {
                if receiver.kind == .aliyunVoice, call.action == .notify, let phone = person?.phone,
                    try Self.alreadyRang(phone, receiver: receiver.name, call: call, db)
                {
                    continue
                }
                let code =
                    receiver.kind == .aliyunSMS && call.action == .notify ? try Self.freshAnswerCode(at: call.at, db) : nil
                try insert.execute(arguments: [
                    call.outboxID, call.notification, call.incident, call.tier.rawValue, call.unit, call.action.rawValue,
                    receiver.name, person?.id, person?.name, person?.phone, code, call.priority.rawValue, call.at.epoch,
                    call.at.epoch, call.action == .callFailed,
                    DeliveryPolicy.bound(priority: call.priority, action: call.action).map { call.at.epoch + $0 },
                ])
            }
        }
    }

    /// Whether `phone` was already rung about this incident for this tier: a voice call rings
    /// a person once per tier, whatever is told again later (texts and robots carry that).
    static func alreadyRang(_ phone: String, receiver: String, call: CallOnRecord, _ db: any SQLConnection) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT 1 FROM delivery INDEXED BY delivery_by_incident
                    WHERE incident_id = ? AND tier = ? AND receiver = ? AND action = 'notify' AND phone = ? AND state != 'skipped'
                    """), arguments: [call.incident, call.tier.rawValue, receiver, phone]) != nil
    }

    /// A phone number as one person's: digits only, without China's country code.
    static func phoneKey(_ phone: String) -> String {
        var digits = phone.filter(\.isNumber)
        if digits.hasPrefix("0086") {
            digits.removeFirst(4)
        } else if digits.hasPrefix("86"), digits.count == 13 {
            digits.removeFirst(2)
        }
        return digits
    }

    /// A six-digit code no text sent in the last week still carries, so a reply names one call.
    static func freshAnswerCode(at now: Date, _ db: any SQLConnection) throws -> String {
        let taken = try db.cachedStatement(
            sql: "SELECT 1 FROM delivery INDEXED BY delivery_by_code WHERE answer_code = ? AND created_at > ?")
        for _ in 0..<20 {
            let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
            if try Bool.fetchOne(taken, arguments: [code, now.epoch - 7 * 86_400]) == nil { return code }
        }
        // A week with near a million texts: a longer code is still one a person can type.
        return String(format: "%08d", Int.random(in: 0..<100_000_000))
    }
}
