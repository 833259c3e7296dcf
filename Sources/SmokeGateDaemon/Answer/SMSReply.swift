import Foundation

/// One reply text as Aliyun's SmsUp push delivers it (`[{"phone_number", "content",
/// "send_time", "dest_code", "sequence_id"}]`); only the sender and the text are used.
struct SMSReply: Sendable, Equatable, Decodable {
    var phoneNumber: String?
    var content: String?
    var sequenceID: Int64?

    enum CodingKeys: String, CodingKey {
        case phoneNumber = "phone_number"
        case content
        case sequenceID = "sequence_id"
    }

    init(phoneNumber: String?, content: String?, sequenceID: Int64? = nil) {
        self.phoneNumber = phoneNumber
        self.content = content
        self.sequenceID = sequenceID
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        phoneNumber = try? container.decodeIfPresent(String.self, forKey: .phoneNumber)
        content = try? container.decodeIfPresent(String.self, forKey: .content)
        // Documented as a number; tolerated as a string, and not needed to answer.
        sequenceID =
            (try? container.decodeIfPresent(Int64.self, forKey: .sequenceID))
            ?? (try? container.decodeIfPresent(String.self, forKey: .sequenceID)).flatMap(Int64.init)
    }

    /// The pushed body's replies; nil if it is not a JSON array of objects.
    static func batch(_ body: [UInt8]) -> [SMSReply]? {
        try? JSONDecoder().decode([SMSReply].self, from: Data(body))
    }

    /// The answer code of an acknowledging reply, `1 CODE`: the digit 1, then the 6-digit code,
    /// with or without spaces between (full-width digits and spaces as a Chinese keyboard
    /// types them are read as ASCII). Nil for any other text.
    var acknowledgementCode: String? {
        guard let content else { return nil }
        var digits = ""
        for scalar in content.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39: digits.unicodeScalars.append(scalar)
            case 0xFF10...0xFF19: digits.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            case _ where scalar.properties.isWhitespace: continue
            default: return nil
            }
        }
        guard digits.count == 1 + Self.codeLength, digits.first == "1" else { return nil }
        return String(digits.dropFirst())
    }

    static let codeLength = 6
}
