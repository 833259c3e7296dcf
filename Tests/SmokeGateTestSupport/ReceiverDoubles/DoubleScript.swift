/// A vendor's script: answers taken one per accepted request, then `thereafter` for good.
public struct DoubleScript: Sendable, Equatable, Codable {
    public var answers: [DoubleAnswer]
    public var thereafter: DoubleAnswer

    public init(_ answers: [DoubleAnswer] = [], thereafter: DoubleAnswer = .ok) {
        self.answers = answers
        self.thereafter = thereafter
    }

    enum Key: String, CodingKey { case answers, thereafter }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        answers = try container.decodeIfPresent([DoubleAnswer].self, forKey: .answers) ?? []
        thereafter = try container.decodeIfPresent(DoubleAnswer.self, forKey: .thereafter) ?? .ok
    }

    mutating func next() -> DoubleAnswer {
        answers.isEmpty ? thereafter : answers.removeFirst()
    }
}
