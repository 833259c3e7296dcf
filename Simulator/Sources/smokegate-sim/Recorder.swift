import Dispatch
import Foundation
import SmokeGateMQTT
import Synchronization

/// Receives messages on the network thread and writes each as a scenario line at once.
final class Recorder: MQTTClientDelegate, @unchecked Sendable {
    let sink: ScenarioSink
    let limit: Int?
    let done = DispatchSemaphore(value: 0)
    private let state = Mutex<(first: Date?, recorded: Int, finished: Bool)>((nil, 0, false))

    init(sink: ScenarioSink, limit: Int?) {
        self.sink = sink
        self.limit = limit
    }

    var recorded: Int { state.withLock { $0.recorded } }

    func mqttClient(_ client: MQTTClient, received message: MQTTMessage) {
        let now = Date()
        let line: String? = state.withLock { state in
            guard !state.finished else { return nil }
            let first = state.first ?? now
            state.first = first
            state.recorded += 1
            if let limit, state.recorded >= limit { state.finished = true }
            return ScenarioSink.line(at: now.timeIntervalSince(first), topic: message.topic, payload: message.payload)
        }
        guard let line else { return }
        sink.write(line)
        if state.withLock({ $0.finished }) { done.signal() }
    }

    func finish() {
        state.withLock { $0.finished = true }
        done.signal()
    }
}
