import Foundation
import Logging
import SmokeGateCore
import SmokeGateMQTT
import SmokeGateStore
import SmokeGateSync
import Synchronization

/// What became of one message: the answer a platform's push gets.
enum IngestResult: Sendable, Equatable {
    /// Stored, or known to be a redelivery, a heartbeat kept in memory, or ignored on purpose:
    /// nothing to send again (`200`).
    case taken
    /// Kept as a rejected message with its reason: sending it again would not help (`200`).
    case rejected(Rejection)
    /// Its events could not be stored: it must come again (`503`; over MQTT, no PUBACK).
    case notStored
}
