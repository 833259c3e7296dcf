import CMosquitto
import Foundation
import Logging

/// `mosquitto_lib_init` once per process.
enum MQTTLibrary {
    private static let initialised: Bool = {
        mosquitto_lib_init()
        return true
    }()

    static func initialise() {
        _ = initialised
    }
}
