import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import SmokeGateCore

/// A few PostgreSQL connections the store's threads take turns on.
///
/// PostgresNIO's own `PostgresClient` hands connections to async code only; the store's
/// callers are threads that must block (libmosquitto's callback holding a PUBACK, the push
/// desk's workers, the CLI), so the store keeps its connections here, opened with
/// `PostgresConnection.connect` on NIO's shared event loops and waited for with a deadline.
/// A connection that failed or timed out is closed and replaced by a new one on next use.
final class PostgresConnectionPool: @unchecked Sendable {
    let location: PostgresLocation
    /// How long one statement, a connection or a free slot is waited for.
    let deadline: TimeInterval
    private let tls: PostgresConnection.Configuration.TLS
    private let options: PostgresConnection.Configuration.Options
    private let permits: DispatchSemaphore
    private let lock = NSLock()
    /// Open connections not in use, each with the statements it keeps prepared.
    private var idle: [(connection: PostgresConnection, prepared: PreparedStatements)] = []
    private var nextID = 0
    private let logger: Logger
    /// Times a store thread has waited for the server's answers, on all connections.
    let roundTrips = RoundTrips()

    /// Milliseconds a session may sit inside a transaction without a statement before the
    /// server ends it. The store's transactions send their statements back to back.
    static let idleInTransactionLimit = 3_000

    init(_ location: PostgresLocation, size: Int = 10, deadline: TimeInterval = 10) throws {
        self.location = location
        self.deadline = deadline
        permits = DispatchSemaphore(value: size)
        var logger = Logger(label: "smokegate.postgres")
        logger.logLevel = .warning
        self.logger = logger
        tls = try Self.tls(location.tls)
        var options = PostgresConnection.Configuration.Options()
        options.connectTimeout = .seconds(Int64(deadline))
        // A gateway stopped (SIGSTOP, a VM paused) inside a transaction would hold the cluster's
        // write lock for as long as its connection lives: the server ends such a session.
        options.additionalStartupParameters = [
            ("application_name", "smokegate"), ("idle_in_transaction_session_timeout", "\(Self.idleInTransactionLimit)"),
        ]
        // PostgresNIO names the server for TLS from the host it connects to; the store opens
        // the socket itself (`connect`), so it names it here, as PostgresNIO would: by a host
        // name, never an address.
        if (try? SocketAddress(ipAddress: location.host, port: 0)) == nil { options.tlsServerName = location.host }
        self.options = options
    }

    /// Runs `body` on a connection of its own, returned to the pool afterwards if still open.
    func withConnection<T>(_ body: (PostgresSQLConnection) throws -> T) throws -> T {
        guard permits.wait(timeout: .now() + deadline) == .success else {
            throw PostgresFailure(connection: "no connection came free within \(Int(deadline)) s")
        }
        defer { permits.signal() }
        let (connection, prepared) = try takeIdle() ?? Self.withStatements(connect())
        var healthy = true
        defer {
            if healthy, !connection.isClosed {
                lock.withLock { idle.append((connection, prepared)) }
            } else {
                Self.retire(connection)
            }
        }
        do {
            return try body(
                PostgresSQLConnection(
                    connection, deadline: deadline, logger: logger, prepared: prepared, roundTrips: roundTrips))
        } catch let failure as PostgresFailure where failure.sqlState == nil {
            // The connection failed or did not answer: never handed out again (a channel whose
            // close is still under way would take the next statement and never answer it).
            healthy = false
            throw failure
        }
    }

    /// A new connection, with nothing prepared yet.
    private static func withStatements(_ connection: PostgresConnection) -> (PostgresConnection, PreparedStatements) {
        (connection, PreparedStatements(on: connection.eventLoop))
    }

    /// An idle connection still open, if any (closed ones are retired on the way).
    private func takeIdle() -> (PostgresConnection, PreparedStatements)? {
        while let pooled = lock.withLock({ idle.popLast() }) {
            if !pooled.connection.isClosed { return pooled }
            Self.retire(pooled.connection)
        }
        return nil
    }

    /// Closes the idle connections (the store is going away).
    func close() {
        let connections = lock.withLock {
            defer { idle = [] }
            return idle.map(\.connection)
        }
        for connection in connections {
            let closing: EventLoopFuture<Void> = connection.close()
            _ = try? PostgresSQLConnection(connection, deadline: 2, logger: logger).wait(for: closing)
            Self.retire(connection)
        }
    }

    /// A new connection. The store opens the socket itself, with `UnaskedReadCompleteFilter`
    /// before PostgresNIO's handlers, and hands it to PostgresNIO as an established channel.
    private func connect() throws -> PostgresConnection {
        let id = lock.withLock {
            nextID += 1
            return nextID
        }
        let (location, tls, options, logger) = (location, tls, options, logger)
        let future = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton.next())
            .connectTimeout(.seconds(Int64(deadline)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UnaskedReadCompleteFilter())
                }
            }
            .connect(host: location.host, port: location.port)
            .flatMap { channel in
                var configuration = PostgresConnection.Configuration(
                    establishedChannel: channel, tls: tls, username: location.user, password: location.password,
                    database: location.database)
                configuration.options = options
                return PostgresConnection.connect(
                    on: channel.eventLoop, configuration: configuration, id: id, logger: logger
                ).flatMapErrorThrowing { error in
                    channel.close(promise: nil)
                    throw error
                }
            }
        guard let result = FutureWait.result(of: future, within: deadline + 1) else {
            future.whenSuccess { Self.retire($0) }
            throw PostgresFailure(connection: "could not reach \(location) within \(Int(deadline)) s")
        }
        do {
            return try result.get()
        } catch {
            throw PostgresFailure(connection: "could not connect to \(location): \(Self.reason(error))")
        }
    }

    /// Why a connection failed, in the server's words when it gave any (a refused password),
    /// else the socket's (refused, unreachable, a name not found).
    private static func reason(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError: return PostgresFailure(error, sql: "").message
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.first { return "\(failure.error)" }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve \(error.host)" }
            return "\(error)"
        case ChannelError.connectTimeout(let limit): return "no answer within \(limit.nanoseconds / 1_000_000_000) s"
        default: return "\(error)"
        }
    }

    /// Closes `connection` and keeps it alive until it is closed (PostgresNIO wants a
    /// connection closed before it is released).
    private static func retire(_ connection: PostgresConnection) {
        if !connection.isClosed { let _: EventLoopFuture<Void> = connection.close() }
        connection.closeFuture.whenComplete { _ in _ = connection }
    }

    private static func tls(_ mode: PostgresTLS) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .require:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }
}
