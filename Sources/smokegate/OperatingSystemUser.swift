import Foundation
import SmokeGateCore

/// Who is at the keyboard: the operating-system account, and the person behind `sudo`.
enum OperatingSystemUser {
    static var current: String {
        let account = getpwuid(geteuid()).flatMap { String(validatingCString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        if let sudo = ProcessInfo.processInfo.environment["SUDO_USER"], !sudo.isEmpty, sudo != account {
            return "\(account) (sudo by \(sudo))"
        }
        return account
    }
}
