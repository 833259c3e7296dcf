import Hummingbird
import NIOCore

/// The request context of the doubles: Hummingbird's, plus the connection, so a double can
/// drop it after reading a request.
struct DoubleContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }

    var maxUploadSize: Int { 1 << 20 }
}
