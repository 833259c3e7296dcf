import Hummingbird
import SmokeGateConfig
import SmokeGateCore

/// The platform push endpoints on `http.listen`: one `POST` route per `sources` entry with
/// `http:`, and OneNET's URL check (`GET ?msg=&nonce=&signature=`) on its path.
///
/// In order, a push is checked for its sender's address (403), its sender's rate (429), its
/// size (413) and, for OneNET, its signature (403); then it is decoded and stored, and only
/// then answered `200`; a store that refuses it past `PushDesk.budget` answers `503`, which
/// the platform retries. Error answers have empty bodies: nothing about the gateway leaks.
enum PushRoutes {
    static func mount(on router: Router<GatewayRequestContext>, sources: [PushSource], desk: PushDesk) {
        for source in sources {
            let limiter = PushRateLimiter(rate: source.rateLimit)
            router.post(RouterPath(source.path)) { request, context -> Response in
                await push(request, context: context, source: source, limiter: limiter, desk: desk)
            }
            if source.format == .onenet {
                router.get(RouterPath(source.path)) { request, context -> Response in
                    verifyURL(request, context: context, source: source, desk: desk)
                }
            }
        }
    }

    private static func push(
        _ request: Request, context: GatewayRequestContext, source: PushSource, limiter: PushRateLimiter, desk: PushDesk
    ) async -> Response {
        let peer = context.peer
        guard source.allows(peer) else {
            desk.turnAway(source, Rejection(.notAllowed, "the sender's address is not on the source's allow-list"), peer: peer)
            return empty(.forbidden)
        }
        guard limiter.admit(peer ?? "") else {
            desk.turnAway(
                source, Rejection(.rateLimited, "over \(source.rateLimit) pushes a second from one address"), peer: peer)
            return empty(.tooManyRequests, headers: [.retryAfter: "1"])
        }
        let body: [UInt8]
        do {
            var buffer = try await request.body.collect(upTo: source.bodyLimit)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            desk.turnAway(source, Rejection(.oversized, "a body over \(source.bodyLimit) bytes (body_limit)"), peer: peer)
            return empty(.contentTooLarge)
        }
        if let token = source.token, let problem = OneNETEnvelope.signatureProblem(body, token: token) {
            desk.turnAway(source, Rejection(.badSignature, problem), body: body, peer: peer)
            return empty(.forbidden)
        }
        switch await desk.take(body, from: source) {
        case .taken, .rejected:
            return empty(.ok)
        case .notStored:
            return empty(.serviceUnavailable, headers: [.retryAfter: "5"])
        }
    }

    /// OneNET's URL check: a `GET` with `msg`, `nonce` and `signature`, answered with the raw
    /// `msg` when the signature is the source's token's.
    private static func verifyURL(
        _ request: Request, context: GatewayRequestContext, source: PushSource, desk: PushDesk
    ) -> Response {
        let query = request.uri.queryParameters
        guard let token = source.token, let msg = query["msg"].map(String.init), let nonce = query["nonce"],
            let signature = query["signature"]
        else { return empty(.notFound) }
        guard
            OneNETSignature.isValid(
                String(signature), token: token, nonce: Array(String(nonce).utf8), message: Array(msg.utf8))
        else {
            desk.turnAway(
                source, Rejection(.badSignature, "a URL check whose signature is not the token's"), peer: context.peer)
            return empty(.forbidden)
        }
        desk.logger.notice("answered OneNET's URL check", metadata: ["source": "\(source.name)"])
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: msg)))
    }

    private static func empty(_ status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        Response(status: status, headers: headers)
    }
}
