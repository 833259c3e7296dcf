import NIOCore

/// Keeps from PostgresNIO a read-complete event it did not ask for, which stops the process.
///
/// When the server's side of a connection closes, NIO reads everything left on the socket up
/// to the end, whether or not a read was asked for, and always signals the read complete at
/// the end. PostgresNIO holds back its reads while a statement's rows wait for their
/// consumer, and a read complete in that state is a `preconditionFailure` in its row stream
/// ("How can we receive a body part, after a channelReadComplete, but no read has been
/// forwarded yet"). So a PostgreSQL server that died in the middle of an answer (a crash, an
/// immediate shutdown) took the gateway with it.
///
/// This handler sits between the socket and PostgresNIO's handlers and passes a read
/// complete on only if the reads it closes began with a read asked for, as NIO's own reads
/// do. The bytes are always passed on: PostgresNIO takes rows it did not ask for. The
/// connection ends just after (NIO closes it at the end of the stream), and PostgresNIO fails
/// whatever was waiting with the connection's error, which the store retries on a new one.
final class UnaskedReadCompleteFilter: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A read was asked for and no bytes have come since (NIO's own `readPending`).
    private var readAsked = false
    /// Whether the bytes passed on since the last read complete began with a read asked for;
    /// nil while none came.
    private var readsAsked: Bool?

    func read(context: ChannelHandlerContext) {
        readAsked = true
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if readsAsked == nil { readsAsked = readAsked }
        readAsked = false
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // A read complete with no bytes (a wake-up with nothing to read, or the end of the
        // stream) closes a read asked for only if one still is.
        let asked = readsAsked ?? readAsked
        readsAsked = nil
        if asked { context.fireChannelReadComplete() }
    }
}
