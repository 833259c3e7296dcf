// Loopback stand-ins for the vendors' servers (WeCom, DingTalk and Feishu robots, Aliyun SMS
// and voice, Standard Webhooks) on one port, for end-to-end tests and `make demo`: prints
// every message it takes as a phone would show it, and exits on SIGTERM or SIGINT, or when
// its lifetime is over.
import ArgumentParser

// `main.swift` runs top-level code, so the async command is parsed and run here.
do {
    let command = try ReceiverDoublesCommand.parse()
    try await command.run()
} catch {
    ReceiverDoublesCommand.exit(withError: error)
}
