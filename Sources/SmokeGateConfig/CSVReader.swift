/// RFC 4180 CSV with the line each record starts on, so that registry errors point at the
/// exact line an operator must fix (quoted fields may span lines).
struct CSVReader {
    struct Record {
        var line: Int
        var fields: [String]
    }

    struct Failure: Error {
        var line: Int
        var message: String
    }

    /// Works on UTF-8 bytes (every delimiter is ASCII, so no byte of a multi-byte character
    /// can be taken for one): iterating Characters cost seconds on a million-row registry.
    static func records(_ text: String) throws(Failure) -> [Record] {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let bytes = Array(text.utf8)
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        field.reserveCapacity(128)
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedField = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
        }

        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == quote {
                    if index < bytes.count, bytes[index] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == lf { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case comma:
                endField()
            case quote:
                guard field.isEmpty, !quotedField else {
                    throw Failure(
                        line: line, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                inQuotes = true
                quotedField = true
            case lf, cr:
                if byte == cr, index < bytes.count, bytes[index] == lf { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            default:
                if quotedField {
                    throw Failure(line: line, message: "text after a closing quote")
                }
                field.append(byte)
            }
        }
        if inQuotes { throw Failure(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
