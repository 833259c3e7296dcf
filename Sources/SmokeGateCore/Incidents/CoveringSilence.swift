/// The silence that hides a detector at the moment an incident opens or is released: its
/// id (so its end can release what it hid) and how the timeline names it.
public struct CoveringSilence: Sendable, Equatable {
    public var silenceID: Int64
    public var label: String

    public init(silenceID: Int64, label: String) {
        self.silenceID = silenceID
        self.label = label
    }
}

extension Silence {
    /// This silence as the silence of the incidents it hides.
    public var covering: CoveringSilence { CoveringSilence(silenceID: id, label: label) }
}
