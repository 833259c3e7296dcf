/// A sequence that yields every `interval` until its task is cancelled: the ticking heart of
/// the periodic services.
struct AsyncTimerSequence: AsyncSequence, Sendable {
    typealias Element = Void
    let interval: Duration

    static func repeating(every interval: Duration) -> AsyncTimerSequence {
        AsyncTimerSequence(interval: interval)
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let interval: Duration
        let clock = ContinuousClock()
        var deadline: ContinuousClock.Instant?

        mutating func next() async -> Void? {
            let next = (deadline ?? clock.now).advanced(by: interval)
            deadline = next
            do {
                try await clock.sleep(until: next)
            } catch {
                return nil
            }
            return ()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(interval: interval)
    }
}
