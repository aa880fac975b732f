import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import SigitCore
import SSHSig

/// Answers every request of `sigit serve`: routes, the abuse checks, and the security headers on every response.
///
/// Routes: `GET /i/{secret}` (the signing page), `GET /i/{secret}/doc/{path}` (one document's bytes),
/// `GET /static/sign.js|sign.css`, and `POST /i/{secret}/enroll|decide|complete` (JSON). A malformed secret is
/// refused before anything else, with the same 404 as an unknown one. Each POST is counted against a rate limit
/// per client address and, once its page token matched, per invitation, and must carry the server's `Origin`, `Content-Type: application/json`
/// and the page's CSRF token, with a body of at most `maxBody` bytes; refusals are `{"error": "..."}` with a 4xx
/// status and write nothing. The server signs nothing: it relays the passkey's signature to `Workspace.complete`.
struct SigningResponder: HTTPResponder {
    typealias Context = ServeContext

    /// The largest request body read.
    static let maxBody = 64 * 1024
    /// The longest reason (characters).
    static let maxReason = 2000

    let gate: RepositoryGate
    /// The origin the page must be served from (`http://localhost:8080`), and its host, the WebAuthn relying party.
    let origin: String
    let relyingParty: String
    /// Whether a completed event is pushed (`sigit sync`).
    let push: Bool
    let csrf = CSRFToken()
    let pending = PendingEvents()
    let perInvitation = RateLimiter(limit: 10)
    let perClient = RateLimiter(limit: 30)
    /// Where a line of the access log goes (never with a secret: paths are redacted).
    let log: @Sendable (String) -> Void

    func respond(to request: Request, context: ServeContext) async throws -> Response {
        let started = ContinuousClock.now
        let wantsJSON = request.method == .post
        var response: Response
        do {
            response = try await route(request, context: context)
        } catch let error as ServeError {
            response = Self.refusal(error, json: wantsJSON)
        } catch let error as SigitError {
            response = Self.refusal(ServeError(status: .conflict, message: error.description), json: wantsJSON)
        } catch let error as SSHSigError {
            response = Self.refusal(ServeError(status: .badRequest, message: error.description), json: wantsJSON)
        } catch {
            log("sigit serve: error: \(Self.redactSecrets(String(describing: error)))")
            response = Self.refusal(ServeError(status: .internalServerError, message: "the server could not read the repository; try again later"), json: wantsJSON)
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        log("sigit serve: \(request.method.rawValue) \(Self.redacted(request.uri.path)) \(response.status.code) \(milliseconds) ms")
        return response
    }

    func route(_ request: Request, context: ServeContext) async throws -> Response {
        let method = request.method
        guard method == .get || method == .head || method == .post else {
            var response = Self.refusal(ServeError(status: .methodNotAllowed, message: "this method is not allowed"), json: false)
            response.headers[.allow] = "GET, HEAD, POST"
            return response
        }
        let segments = Array(request.uri.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init))
        let isGet = method == .get || method == .head
        switch segments.first {
        case "static" where segments.count == 2:
            guard isGet else { throw ServeError(status: .methodNotAllowed, message: "this method is not allowed") }
            switch segments[1] {
            case "sign.js": return Self.reply(.ok, contentType: "text/javascript; charset=utf-8", body: Data(SignScript.text.utf8))
            case "sign.css": return Self.reply(.ok, contentType: "text/css; charset=utf-8", body: Data(SignStyle.text.utf8))
            default: throw ServeError(status: .notFound, message: "there is no such page")
            }
        case "i" where segments.count >= 2:
            let secret = segments[1]
            guard InvitationSecret.isWellFormed(secret) else { throw ServeError.notFound }
            if segments.count == 2 {
                guard isGet else { throw ServeError(status: .methodNotAllowed, message: "this method is not allowed") }
                return try await page(secret: secret)
            }
            if segments.count >= 4, segments[2] == "doc" {
                guard isGet else { throw ServeError(status: .methodNotAllowed, message: "this method is not allowed") }
                return try await document(secret: secret, path: Array(segments[3...]))
            }
            if segments.count == 3, ["enroll", "decide", "complete"].contains(segments[2]) {
                guard method == .post else { throw ServeError(status: .methodNotAllowed, message: "this method is not allowed") }
                return try await action(segments[2], secret: secret, request: request, context: context)
            }
            throw ServeError(status: .notFound, message: "there is no such page")
        default:
            throw ServeError(status: .notFound, message: "there is no such page")
        }
    }

    // MARK: Pages

    func page(secret: String) async throws -> Response {
        guard let view = try await gate.run({ try $0.invitationView(secret: secret) }) else { throw ServeError.notFound }
        let token = csrf.token(secretSHA256: InvitationSecret.sha256Hex(secret))
        let html = SigningPage.render(view, secret: secret, csrf: token, origin: origin, relyingParty: relyingParty)
        return Self.reply(.ok, contentType: "text/html; charset=utf-8", body: Data(html.utf8))
    }

    func document(secret: String, path segments: [String]) async throws -> Response {
        var decoded: [String] = []
        for segment in segments {
            guard let part = segment.removingPercentEncoding, !part.isEmpty, part != ".", part != ".." else {
                throw ServeError(status: .notFound, message: "there is no such document")
            }
            decoded.append(part)
        }
        let path = decoded.joined(separator: "/")
        guard let view = try await gate.run({ try $0.invitationView(secret: secret) }) else { throw ServeError.notFound }
        guard let document = view.documents.first(where: { $0.path == path }) else {
            throw ServeError(status: .notFound, message: "there is no such document")
        }
        let kind = DocumentKind(path: document.path, data: document.data)
        var response = Self.reply(.ok, contentType: kind.contentType, body: document.data, framedByPage: kind == .pdf)
        let name = (document.path.split(separator: "/").last.map(String.init) ?? "document")
            .unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" && $0.value != 0x7F ? String($0) : "_" }.joined()
        response.headers[.contentDisposition] = "\(kind == .pdf ? "inline" : "attachment"); filename=\"\(name)\""
        return response
    }

    // MARK: Actions

    func action(_ name: String, secret: String, request: Request, context: ServeContext) async throws -> Response {
        let secretSHA256 = InvitationSecret.sha256Hex(secret)
        // The client's limit first; an invitation's limit only once the request carries that invitation's page token,
        // so requests with made-up links cannot fill the per-invitation table and lock real invitees out.
        guard await perClient.allow(Self.client(context.clientAddress, forwardedFor: request.headers[ResponseHeaders.forwardedFor])) else {
            throw ServeError(status: .tooManyRequests, message: "too many attempts; wait a minute and reload the page")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maxBody {
            throw ServeError(status: .contentTooLarge, message: "the request is larger than \(Self.maxBody) bytes")
        }
        guard request.headers[.origin] == origin else {
            throw ServeError(status: .forbidden, message: "the request did not come from the signing page at \(origin)")
        }
        let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard contentType == "application/json" else {
            throw ServeError(status: .unsupportedMediaType, message: "the request must be JSON (Content-Type: application/json)")
        }
        guard csrf.isValid(request.headers[ResponseHeaders.csrfToken], secretSHA256: secretSHA256) else {
            throw ServeError(status: .forbidden, message: "the request lacks the signing page's token; reload the page")
        }
        guard await perInvitation.allow(secretSHA256) else {
            throw ServeError(status: .tooManyRequests, message: "too many attempts; wait a minute and reload the page")
        }
        let body: Data
        do {
            var buffer = try await request.body.collect(upTo: Self.maxBody)
            body = buffer.readData(length: buffer.readableBytes) ?? Data()
        } catch {
            throw ServeError(status: .contentTooLarge, message: "the request is larger than \(Self.maxBody) bytes")
        }
        switch name {
        case "enroll": return try await enroll(Self.decode(EnrollRequest.self, body), secret: secret, secretSHA256: secretSHA256)
        case "decide": return try await decide(Self.decode(DecideRequest.self, body), secret: secret, secretSHA256: secretSHA256)
        default: return try await complete(Self.decode(CompleteRequest.self, body), secretSHA256: secretSHA256)
        }
    }

    func enroll(_ body: EnrollRequest, secret: String, secretSHA256: String) async throws -> Response {
        guard let spki = Base64URL.decode(body.spki), spki.count <= 1024 else {
            throw ServeError(status: .badRequest, message: "spki is not base64url")
        }
        let key = try Passkey.key(spki: spki, relyingParty: relyingParty)
        let prepared = try await gate.run { workspace in
            guard try workspace.invitationView(secret: secret) != nil else { throw ServeError.notFound }
            return try workspace.prepareEnrollment(secret: secret, key: key)
        }
        return await challenge(prepared, secretSHA256: secretSHA256)
    }

    func decide(_ body: DecideRequest, secret: String, secretSHA256: String) async throws -> Response {
        let reason = body.reason.flatMap { $0.isEmpty ? nil : $0 }
        if let reason, reason.count > Self.maxReason {
            throw ServeError(status: .badRequest, message: "the reason is longer than \(Self.maxReason) characters")
        }
        guard body.digest.hasPrefix("sha256:"), body.digest.utf8.count <= 80 else {
            throw ServeError(status: .badRequest, message: "digest must be the sha256: digest the page shows")
        }
        let prepared = try await gate.run { workspace in
            guard try workspace.invitationView(secret: secret) != nil else { throw ServeError.notFound }
            return try workspace.prepareDecision(secret: secret, approve: body.approve, reason: reason, digest: body.digest)
        }
        return await challenge(prepared, secretSHA256: secretSHA256)
    }

    /// Keeps a prepared event and answers its id and WebAuthn challenge (the SSHSIG signed data of the commit).
    func challenge(_ prepared: PreparedEvent, secretSHA256: String) async -> Response {
        let id = await pending.add(prepared, secretSHA256: secretSHA256)
        return Self.json(.ok, ["id": id, "challenge": Base64URL.encode(prepared.signedData)])
    }

    func complete(_ body: CompleteRequest, secretSHA256: String) async throws -> Response {
        let started = ContinuousClock.now
        guard let entry = await pending.take(body.id, secretSHA256: secretSHA256) else {
            throw ServeError(status: .notFound, message: "this signing request expired or was already used; reload the page and try again")
        }
        guard let authenticatorData = Base64URL.decode(body.authenticatorData), let clientDataJSON = Base64URL.decode(body.clientDataJSON),
              let signature = Base64URL.decode(body.signature) else {
            throw ServeError(status: .badRequest, message: "authenticatorData, clientDataJSON and signature must be base64url")
        }
        try checkClientData(clientDataJSON)
        let armored = try Passkey.armoredSignature(authenticatorData: authenticatorData, clientDataJSON: clientDataJSON, signature: signature,
                                                   key: entry.prepared.key)
        let prepared = entry.prepared
        let written = try await gate.run { try $0.complete(prepared, signature: armored) }
        var answer: [String: Any] = ["ok": true, "commit": written.commit.hex, "action": prepared.action.rawValue]
        if push {
            do {
                _ = try await gate.run { try $0.sync(remote: nil) }
                answer["pushed"] = true
            } catch {
                answer["pushed"] = false
                answer["push_error"] = TerminalText.safe(ServeError.line(for: error))
                log("sigit serve: the commit \(written.commit.hex) stands but was not pushed: \(TerminalText.safe(ServeError.line(for: error)))")
            }
        }
        answer["elapsed_ms"] = Self.milliseconds(ContinuousClock.now - started)
        answer["since_prepare_ms"] = Int(Date().timeIntervalSince(entry.created) * 1000)
        return Self.json(.ok, answer)
    }

    /// The assertion must be a `webauthn.get` made on this server's origin (the signature covers it either way; this
    /// refuses early and plainly what the commit would carry wrongly).
    func checkClientData(_ data: Data) throws {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ServeError(status: .badRequest, message: "clientDataJSON is not JSON")
        }
        guard object["type"] as? String == "webauthn.get" else {
            throw ServeError(status: .badRequest, message: "clientDataJSON is not of a webauthn.get assertion")
        }
        guard object["origin"] as? String == origin else {
            throw ServeError(status: .badRequest, message: "the passkey signed for another origin than \(origin)")
        }
    }

    /// The client an attempt is counted for: the socket's peer, or, when the peer is a reverse proxy on loopback,
    /// the address it appended last to `X-Forwarded-For` (a client cannot forge that entry through the proxy).
    static func client(_ peer: String, forwardedFor: String?) -> String {
        let loopback = peer.hasPrefix("127.") || peer == "::1" || peer.hasPrefix("::ffff:127.")
        guard loopback, let forwardedFor, let last = forwardedFor.split(separator: ",").last else { return peer }
        let address = last.trimmingCharacters(in: .whitespaces)
        return address.isEmpty ? peer : "forwarded " + String(address.prefix(64))
    }

    // MARK: Replies

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw ServeError(status: .badRequest, message: "the request body is not the JSON this action takes")
        }
    }

    static func reply(_ status: HTTPResponse.Status, contentType: String, body: Data, framedByPage: Bool = false) -> Response {
        Response(status: status, headers: ResponseHeaders.fields(contentType: contentType, framedByPage: framedByPage),
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return reply(status, contentType: "application/json", body: data)
    }

    /// A refusal: `{"error": ...}` for the JSON routes, else a plain page with the same line.
    static func refusal(_ error: ServeError, json: Bool) -> Response {
        let line = TerminalText.safe(error.message)
        if json { return Self.json(error.status, ["error": line]) }
        let title = error.status == .notFound ? "Not found" : error.status.reasonPhrase
        return reply(error.status, contentType: "text/html; charset=utf-8", body: Data(SigningPage.plain(title: title, message: line).utf8))
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// A request path for the log: the invitation secret replaced, and any other long segment too.
    static func redacted(_ path: String) -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for index in segments.indices where (index == 2 && segments[1] == "i") || segments[index].count > 24 {
            segments[index] = "[redacted]"
        }
        return TerminalText.safe(String(segments.joined(separator: "/").prefix(200)))
    }

    /// Text for the log with anything shaped like a secret (43 base64url characters in a row) replaced.
    static func redactSecrets(_ text: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            out += run.count >= 43 ? "[redacted]" : run
            run = ""
        }
        for char in text {
            if char.isASCII, char.isLetter || char.isNumber || char == "-" || char == "_" { run.append(char) } else { flush(); out.append(char) }
        }
        flush()
        return TerminalText.safe(out)
    }
}
