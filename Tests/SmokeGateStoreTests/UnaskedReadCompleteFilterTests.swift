import NIOCore
import NIOEmbedded
import Testing

@testable import SmokeGateStore

/// The rule `UnaskedReadCompleteFilter` keeps, event by event: a read complete reaches
/// PostgresNIO only if the reads it closes began with a read asked for, and no byte is held
/// back. Kept too often, a connection would wait for an answer already read; kept too seldom,
/// a server gone mid-answer stops the process (`ServerGoneMidAnswerTests`, on a real server).
@Suite struct UnaskedReadCompleteFilterTests {
    /// What reached the handler behind the filter.
    final class Seen: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var bytes = 0
        var completes = 0
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { bytes += unwrapInboundIn(data).readableBytes }
        func channelReadComplete(context: ChannelHandlerContext) { completes += 1 }
    }

    func channel() throws -> (EmbeddedChannel, Seen) {
        let seen = Seen()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([UnaskedReadCompleteFilter(), seen])
        return (channel, seen)
    }

    func arrive(_ count: Int, on channel: EmbeddedChannel) {
        channel.pipeline.fireChannelRead(ByteBuffer(repeating: 0x44, count: count))
    }

    @Test func readsAskedForEndWithTheirComplete() throws {
        let (channel, seen) = try channel()
        for round in 1...3 {
            channel.read()
            arrive(10, on: channel)
            arrive(5, on: channel)
            channel.pipeline.fireChannelReadComplete()
            #expect(seen.completes == round)
        }
        #expect(seen.bytes == 45)
    }

    @Test func theEndOfTheStreamWithNoReadAskedForPassesItsBytesAndKeepsItsComplete() throws {
        let (channel, seen) = try channel()
        channel.read()
        arrive(10, on: channel)
        channel.pipeline.fireChannelReadComplete()
        // PostgresNIO holds its read back (rows wait for their consumer); the server ends the
        // stream: NIO reads what is left, and signals a complete at the end, with no bytes too.
        arrive(7, on: channel)
        channel.pipeline.fireChannelReadComplete()
        channel.pipeline.fireChannelReadComplete()
        #expect(seen.bytes == 17, "every byte passed on")
        #expect(seen.completes == 1, "only the complete of the read asked for")
    }

    @Test func aWakeUpWithNothingToReadLeavesTheReadAskedFor() throws {
        let (channel, seen) = try channel()
        channel.read()
        // NIO woke with nothing to read: its read stays pending, no new one is asked for.
        channel.pipeline.fireChannelReadComplete()
        arrive(12, on: channel)
        channel.pipeline.fireChannelReadComplete()
        #expect(seen.completes == 2, "the answer read later still reaches PostgresNIO")
        #expect(seen.bytes == 12)
    }

    @Test func aReadAskedForAfterTheBytesCameCountsForTheNextOnes() throws {
        let (channel, seen) = try channel()
        arrive(3, on: channel)
        channel.read()
        channel.pipeline.fireChannelReadComplete()
        #expect(seen.completes == 0, "the bytes came before the read was asked for")
        arrive(4, on: channel)
        channel.pipeline.fireChannelReadComplete()
        #expect(seen.completes == 1)
    }
}
