import ServiceLifecycle

/// A daemon service that describes itself by its name. ServiceLifecycle describes every
/// service with `"\(service)"` as the group is built, and the default description reflects
/// every stored value: with a million detectors in the registry that took minutes and
/// gigabytes before the daemon could start.
protocol NamedService: Service, CustomStringConvertible {}

extension NamedService {
    var description: String { String(describing: Self.self) }
}
