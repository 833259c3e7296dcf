import SmokeGateCore
import Yams

extension ResponseChainLoader.Reader {
    /// A unit's `receivers: [names]`, each checked against what the main file declares: a
    /// misspelt name would leave the unit reached by MQTT alone, and a text or voice receiver
    /// on a unit without a phone would reach nobody. `unit` names the unit in messages
    /// (nil when its id is missing, which is reported already).
    func receivers(_ entry: YAMLMapping, unit: String?, contacts: [Contact]) -> [String] {
        let unit = unit ?? entry.path
        var names: [String] = []
        for node in entry.sequence("receivers") {
            let line = node.mark?.line ?? entry.lineOf("receivers")
            guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
                log.add(entry.file, line, "'\(entry.name("receivers"))' must list receiver names")
                continue
            }
            let name = scalar.string
            if names.contains(name) {
                log.add(entry.file, line, "\(unit) names receiver '\(name)' twice")
                continue
            }
            names.append(name)
            guard declared.names.contains(name) else {
                let known =
                    declared.names.isEmpty ? "it declares none" : "it declares \(declared.names.sorted().joined(separator: ", "))"
                log.add(
                    entry.file, line,
                    "\(unit) names receiver '\(name)', which 'receivers' in \(mainFile) does not declare (\(known))")
                continue
            }
            if let kind = declared.kinds[name], kind.addressesPeople,
                !contacts.contains(where: { $0.phone.contains(where: \.isNumber) })
            {
                let what = kind == .aliyunSMS ? "text" : "call"
                log.add(
                    entry.file, line,
                    "\(unit) has receiver '\(name)' (\(kind.rawValue)) but no contact with a phone: it would \(what) nobody")
            }
        }
        return names
    }
}
