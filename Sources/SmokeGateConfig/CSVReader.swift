/// RFC 4180 CSV with the line each record starts on, so that registry errors point at the
/// exact line an operator must fix (quoted fields may span lines).
///
/// Records are handed over one at a time, never collected: a million-row registry is read in
/// one pass over its bytes.
struct CSVReader {
    struct Failure: Error {
        var line: Int
        var message: String
    }

    /// Calls `record` with each record's first line and fields. Works on UTF-8 bytes (every
    /// delimiter is ASCII, so no byte of a multi-byte character can be taken for one);
    /// a field that is not UTF-8 stops the read with its line.
    static func read(
        _ bytes: UnsafeBufferPointer<UInt8>, record: (_ line: Int, _ fields: [String]) -> Void
    ) throws(Failure) {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var fields: [String] = []
        fields.reserveCapacity(8)
        var field: [UInt8] = []
        field.reserveCapacity(128)
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0

        func endField() throws(Failure) {
            guard let text = utf8Text(&field) else { throw Failure(line: line, message: "a field is not UTF-8 text") }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            quotedField = false
        }
        func endRecord() throws(Failure) {
            try endField()
            if !(fields.count == 1 && fields[0].isEmpty) { record(recordLine, fields) }
            fields.removeAll(keepingCapacity: true)
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
                try endField()
            case quote:
                guard field.isEmpty, !quotedField else {
                    throw Failure(
                        line: line, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                inQuotes = true
                quotedField = true
            case lf, cr:
                if byte == cr, index < bytes.count, bytes[index] == lf { index += 1 }
                try endRecord()
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
        if !field.isEmpty || !fields.isEmpty { try endRecord() }
    }

    /// The field's bytes as a string, or nil if they are not UTF-8. ASCII (ids, grid codes) is
    /// taken as it is; anything else is validated through the C-string initializer, which is
    /// several times faster than the generic one.
    private static func utf8Text(_ field: inout [UInt8]) -> String? {
        if field.allSatisfy({ $0 < 0x80 }) { return String(decoding: field, as: UTF8.self) }
        guard !field.contains(0) else { return nil }
        field.append(0)
        defer { field.removeLast() }
        return field.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { String(validatingCString: $0.baseAddress!) }
        }
    }
}
