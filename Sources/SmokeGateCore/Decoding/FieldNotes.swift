/// The optional fields a decoder dropped from one message, each noted as "field: why,
/// dropped" (contract field rule 3: only the event's kind is required, so a bad reading
/// costs that reading and never the event).
///
/// The notes travel on the `DecodedMessage` and on every `DetectorEvent` made from it. An
/// empty list is an empty array, which allocates nothing: a message whose fields are all
/// fine pays nothing for notes.
struct FieldNotes {
    /// What was dropped, in the order the decoder read the fields.
    private(set) var list: [String] = []

    /// Notes that `field` (its full path, e.g. `payload.serviceData.RSRP`) was dropped and why.
    mutating func drop(_ field: String, _ why: String) {
        list.append(field + ": " + why + ", dropped")
    }

    /// How a value is shown in a note: cut at `shownLimit` characters, control characters
    /// replaced (a note ends up in logs and terminals), text quoted.
    static func shown(text: String, quoted: Bool) -> String {
        var shown = ""
        for character in text.prefix(shownLimit) {
            let isControl = character.unicodeScalars.contains { $0.properties.generalCategory == .control }
            shown.append(isControl ? "\u{FFFD}" : character)
        }
        if !text.dropFirst(shownLimit).isEmpty { shown += "…" }
        return quoted ? "'" + shown + "'" : shown
    }

    /// A note quotes at most this many characters of a value: enough to recognise it, too
    /// few for a hostile payload to fill the event table through its notes.
    static let shownLimit = 40
}
