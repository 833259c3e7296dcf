import Hummingbird
import NIOCore

/// The request context of `http.listen`: Hummingbird's basic one, plus the peer's address,
/// which a platform push's allow-list and rate limit are keyed on.
struct GatewayRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's address as text (`203.0.113.7`, `::1`), without its port.
    var peer: String? { remoteAddress?.ipAddress }
}
