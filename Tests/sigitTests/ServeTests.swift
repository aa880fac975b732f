import Foundation
import Testing

/// Spec section 9: signers without git sign in a browser through `sigit serve`. The server holds no key that counts,
/// refuses forged and abusive requests without writing anything, and never lets a document or a repository string
/// run in the page. These tests run the real binary on a loopback port against a repository the CLI made, with curl
/// as the browser.
@Suite("sigit serve (spec 9)", .serialized)
struct ServeTests {
    static let csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// A well-formed secret no invitation has.
    static func unknownSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// `sigit serve --listen 127.0.0.1:0` in the team's repository, stopped when released.
    final class Server {
        let process: SpawnedProcess
        let sandbox: Sandbox
        /// The origin it printed (`http://localhost:<port>`) and the port.
        let origin: String
        let port: Int

        init(_ team: Team, _ arguments: [String] = []) throws {
            sandbox = team.sandbox
            process = try SpawnedProcess(Sandbox.sigitBinary, ["-C", team.sandbox.path(team.repo), "serve", "--listen", "127.0.0.1:0"] + arguments,
                                         environment: team.sandbox.environment, scratch: team.sandbox.path("serve-\(UUID().uuidString)"))
            let deadline = Date().addingTimeInterval(30)
            var line: String?
            var bound: String?
            while Date() < deadline {
                let lines = process.stdout.split(separator: "\n")
                if let found = lines.first(where: { $0.hasPrefix("sigit serve: listening on ") }),
                   let address = lines.first(where: { $0.hasPrefix("sigit serve: bound to ") }) {
                    line = String(found)
                    bound = String(address)
                    break
                }
                // (SpawnedProcess.wait(timeout:) would kill the server: poll its output instead.)
                usleep(50_000)
            }
            guard let line, let bound, let start = line.range(of: "listening on "), let end = line.range(of: " (repository ") else {
                process.kill()
                process.wait()
                throw SandboxError(message: "sigit serve did not say it was listening within 30 s: \(process.stdout) \(process.stderr)")
            }
            origin = String(line[start.upperBound..<end.lowerBound])
            guard let port = Int(bound.split(separator: ":").last ?? "") else { throw SandboxError(message: "no port in \(bound)") }
            self.port = port
        }

        deinit {
            process.kill(SIGTERM)
            if process.wait(timeout: 10) == nil { process.kill() }
        }

        /// One HTTP request with curl; header names in the answer are lowercased.
        func request(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil) throws -> Answer {
            var arguments = ["-s", "-i", "--max-time", "60", "-X", method, "-H", "Expect:"]
            for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
            if let body {
                let file = sandbox.path("body-\(UUID().uuidString)")
                try body.write(to: URL(fileURLWithPath: file))
                arguments += ["--data-binary", "@" + file]
            }
            arguments.append("http://127.0.0.1:\(port)\(path)")
            let result = try sandbox.run("/usr/bin/env", ["curl"] + arguments, in: sandbox.root.path)
            guard result.status == 0 else { throw SandboxError(message: "curl failed (\(result.status)): \(result.stderr)") }
            return try Answer(raw: result.stdout)
        }

        /// A JSON POST as the signing page sends it (origin, content type, token), with `overrides` (nil removes).
        func post(_ path: String, _ object: [String: Any], token: String?, overrides: [String: String?] = [:]) throws -> Answer {
            var headers = ["Origin": origin, "Content-Type": "application/json"]
            if let token { headers["X-CSRF-Token"] = token }
            for (name, value) in overrides { headers[name] = value }
            return try request("POST", path, headers: headers, body: try JSONSerialization.data(withJSONObject: object))
        }
    }

    /// An HTTP answer.
    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: String

        init(raw: String) throws {
            guard let split = raw.range(of: "\r\n\r\n") else { throw SandboxError(message: "not an HTTP answer: \(raw)") }
            let head = raw[..<split.lowerBound].split(separator: "\r\n")
            guard let statusLine = head.first, let code = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
                throw SandboxError(message: "no status line: \(raw)")
            }
            status = code
            var fields: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            headers = fields
            body = String(raw[split.upperBound...])
        }

        /// The body as a JSON object.
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
                throw SandboxError(message: "not a JSON object: \(body)")
            }
            return object
        }

        /// Expects the headers every response carries, and no CORS header.
        func expectHardened(csp: String = ServeTests.csp, _ sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(headers["content-security-policy"] == csp, sourceLocation: sourceLocation)
            #expect(headers["x-content-type-options"] == "nosniff", sourceLocation: sourceLocation)
            #expect(headers["referrer-policy"] == "no-referrer", sourceLocation: sourceLocation)
            #expect(headers["cache-control"] == "no-store", sourceLocation: sourceLocation)
            #expect(headers.keys.filter { $0.hasPrefix("access-control-") }.isEmpty, "CORS headers: \(headers)", sourceLocation: sourceLocation)
        }
    }

    @Test("every response carries the strict CSP, nosniff, no-referrer and no-store, and never a CORS header")
    func hardenedHeaders() throws {
        let team = try Team()
        let server = try Server(team)
        let secret = Self.unknownSecret()
        let evil = ["Origin": "https://evil.example"]
        for (method, path) in [("GET", "/static/sign.js"), ("GET", "/static/sign.css"), ("GET", "/i/short"), ("GET", "/nothing-here"), ("GET", "/"),
                               ("POST", "/i/\(secret)/enroll"), ("GET", "/i/\(secret)/enroll")] {
            let answer = try server.request(method, path, headers: evil)
            answer.expectHardened()
        }
        let script = try server.request("GET", "/static/sign.js")
        #expect(script.status == 200)
        #expect(script.headers["content-type"]?.hasPrefix("text/javascript") == true)
        #expect(script.body.contains("navigator.credentials.create"))
        let style = try server.request("GET", "/static/sign.css")
        #expect(style.status == 200)
        #expect(style.headers["content-type"]?.hasPrefix("text/css") == true)
        // Nothing is loaded from anywhere else.
        for asset in [script.body, style.body] { #expect(!asset.contains("http://") && !asset.contains("https://") && !asset.contains("//cdn")) }
        #expect(!style.body.contains("@import") && !style.body.contains("url("))
    }

    @Test("a CORS preflight (OPTIONS) gets 405 and no CORS header; other methods too")
    func noCORS() throws {
        let team = try Team()
        let server = try Server(team)
        let secret = Self.unknownSecret()
        let preflight = try server.request("OPTIONS", "/i/\(secret)/decide", headers: [
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-csrf-token",
        ])
        #expect(preflight.status == 405)
        preflight.expectHardened()
        for method in ["PUT", "DELETE", "PATCH"] {
            let answer = try server.request(method, "/i/\(secret)", headers: ["Origin": "https://evil.example"])
            #expect(answer.status == 405)
            answer.expectHardened()
        }
    }

    @Test("malformed and unknown secrets get the same plain 404 page", arguments: [
        "short", String(repeating: "A", count: 42), String(repeating: "A", count: 44), String(repeating: "A", count: 42) + "%21",
        String(repeating: "A", count: 42) + ".", "..%2F..%2Fetc%2Fpasswd",
    ])
    func notFound(malformed: String) throws {
        let team = try Team()
        let server = try Server(team)
        let unknown = try server.request("GET", "/i/\(Self.unknownSecret())")
        let bad = try server.request("GET", "/i/\(malformed)")
        #expect(unknown.status == 404)
        #expect(bad.status == 404)
        #expect(bad.body == unknown.body)
        bad.expectHardened()
        let document = try server.request("GET", "/i/\(malformed)/doc/nda.md")
        #expect(document.status == 404)
        #expect(document.body == unknown.body)
    }

    @Test("a POST without the page's token, from another origin or not JSON is refused and writes nothing")
    func forgedPosts() throws {
        let team = try Team()
        let before = try team.git("rev-parse", "HEAD").check().stdout
        let server = try Server(team)
        // A fresh secret for each request: the per-invitation rate limit (10 a minute) is not what is tested here.
        func path(_ action: String) -> String { "/i/\(Self.unknownSecret())/\(action)" }
        let body: [String: Any] = ["approve": true, "digest": "sha256:" + String(repeating: "0", count: 64)]
        for action in ["enroll", "decide", "complete"] {
            let noToken = try server.post(path(action), body, token: nil)
            #expect(noToken.status == 403, "\(noToken.body)")
            #expect(try noToken.json()["error"] is String)
            noToken.expectHardened()
            let wrongToken = try server.post(path(action), body, token: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            #expect(wrongToken.status == 403)
        }
        let otherOrigin = try server.post(path("decide"), body, token: nil, overrides: ["Origin": "https://evil.example"])
        #expect(otherOrigin.status == 403)
        #expect((try otherOrigin.json()["error"] as? String)?.contains("signing page") == true)
        let noOrigin = try server.post(path("decide"), body, token: nil, overrides: ["Origin": nil])
        #expect(noOrigin.status == 403)
        let lookalike = try server.post(path("decide"), body, token: nil, overrides: ["Origin": "http://127.0.0.1:\(server.port)"])
        #expect(lookalike.status == 403)
        let form = try server.post(path("decide"), body, token: nil, overrides: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(form.status == 415)
        let plain = try server.post(path("decide"), body, token: nil, overrides: ["Content-Type": "text/plain"])
        #expect(plain.status == 415)
        #expect(try team.git("rev-parse", "HEAD").check().stdout == before)
    }

    @Test("a request body over 64 KiB is refused with 413 before it is read")
    func oversize() throws {
        let team = try Team()
        let server = try Server(team)
        let secret = Self.unknownSecret()
        let big = try JSONSerialization.data(withJSONObject: ["spki": String(repeating: "A", count: 70_000)])
        let answer = try server.request("POST", "/i/\(secret)/enroll", headers: ["Origin": server.origin, "Content-Type": "application/json"], body: big)
        #expect(answer.status == 413)
        #expect(try answer.json()["error"] is String)
        answer.expectHardened()
        // Just under the limit is read (and then refused for its missing token, not its size).
        let small = try JSONSerialization.data(withJSONObject: ["spki": String(repeating: "A", count: 60_000)])
        let fits = try server.request("POST", "/i/\(secret)/enroll", headers: ["Origin": server.origin, "Content-Type": "application/json"], body: small)
        #expect(fits.status == 403)
    }

    @Test("attempts with the page's token are rate limited per invitation (the 11th in a minute gets 429); made-up links never fill that table")
    func rateLimitPerInvitation() throws {
        let (_, secret, server) = try Self.invited()
        let token = try Self.token(try server.request("GET", "/i/\(secret)"))
        // Requests without a valid token for a made-up link are refused (403) before the invitation limit is counted.
        for _ in 0..<12 { #expect(try server.post("/i/\(secret)/enroll", ["spki": "AA"], token: nil, overrides: ["X-Forwarded-For": "198.51.100.9"]).status == 403) }
        var statuses: [Int] = []
        for _ in 0..<11 { statuses.append(try server.post("/i/\(secret)/enroll", ["spki": "AA"], token: token).status) }
        #expect(statuses.prefix(10).allSatisfy { $0 == 400 }, "\(statuses)")
        #expect(statuses.last == 429)
    }

    @Test("attempts are rate limited per client address across invitations: the 31st in a minute gets 429")
    func rateLimitPerClient() throws {
        let team = try Team()
        let server = try Server(team)
        var statuses: [Int] = []
        for _ in 0..<31 { statuses.append(try server.post("/i/\(Self.unknownSecret())/decide", ["approve": true], token: nil).status) }
        #expect(statuses.prefix(30).allSatisfy { $0 == 403 }, "\(statuses)")
        #expect(statuses.last == 429)
        // Behind a reverse proxy on loopback, the client is the address the proxy appended to X-Forwarded-For.
        let proxied = { (client: String) in try server.post("/i/\(Self.unknownSecret())/decide", ["approve": true], token: nil, overrides: ["X-Forwarded-For": client]).status }
        #expect(try proxied("198.51.100.1, 203.0.113.7") == 403)
        var forwarded: [Int] = []
        for _ in 0..<30 { forwarded.append(try proxied("203.0.113.7")) }
        #expect(forwarded.last == 429, "\(forwarded)")
        #expect(try proxied("203.0.113.8") == 403)
    }

    @Test("the server's log never shows a secret")
    func noSecretInLog() throws {
        let team = try Team()
        let server = try Server(team)
        let secrets = (0..<3).map { _ in Self.unknownSecret() }
        _ = try server.request("GET", "/i/\(secrets[0])")
        _ = try server.request("GET", "/i/\(secrets[1])/doc/agreement.yml")
        _ = try server.post("/i/\(secrets[2])/enroll", ["spki": "AA"], token: nil)
        _ = try server.request("GET", "/x/\(secrets[0])")
        let log = server.process.stderr + server.process.stdout
        #expect(log.contains("[redacted]"), "the log shows the requests: \(log)")
        for secret in secrets { #expect(!log.contains(secret)) }
    }

    @Test("--origin must be a secure context with a host name (an IP address is not a relying-party id)")
    func badOrigin() throws {
        let team = try Team()
        for origin in ["http://127.0.0.1:8080", "http://sign.example.org", "https://sign.example.org/path"] {
            let result = try team.sigit(nil, "serve", "--listen", "127.0.0.1:0", "--origin", origin)
            #expect(result.status != 0)
            #expect(result.stderr.contains("--origin"), "\(result.stderr)")
        }
    }

    @Test("--origin names the origin the page binds passkeys to, and the listening line says it")
    func givenOrigin() throws {
        let team = try Team()
        let server = try Server(team, ["--origin", "https://sign.example.org"])
        #expect(server.origin == "https://sign.example.org")
        // POSTs must now come from that origin, not from localhost.
        let answer = try server.post("/i/\(Self.unknownSecret())/enroll", ["spki": "AA"], token: nil, overrides: ["Origin": "http://localhost:\(server.port)"])
        #expect(answer.status == 403)
        #expect((try answer.json()["error"] as? String)?.contains("https://sign.example.org") == true)
    }

    // MARK: With a real invitation

    /// alice invites dana (an outbox carries the link), bot drafts nda-2 naming dana and sends it, alice passes legal
    /// review; then `sigit serve` runs on the repository.
    static func invited(counterparty: String = "Acme", displayName: String? = nil, serve arguments: [String] = []) throws -> (Team, String, Server) {
        let team = try Team(nda: false)
        let secret: String
        if let displayName {
            try team.sigit("alice", "invite", "nda-2", "--name", "dana", "--email", "dana@acme.example", "--display-name", displayName, "--step", "signatures",
                           "--channel", "outbox:" + team.sandbox.path("outbox-dana")).check()
            let files = try FileManager.default.contentsOfDirectory(atPath: team.sandbox.path("outbox-dana")).filter { $0.hasSuffix(".eml") }.sorted()
            let mail = try String(contentsOfFile: team.sandbox.path("outbox-dana/\(try #require(files.last))"), encoding: .utf8)
            let link = try #require(mail.split(whereSeparator: \.isNewline).first { $0.contains("/i/") }).trimmingCharacters(in: .whitespaces)
            secret = String(try #require(link.components(separatedBy: "/i/").last))
        } else {
            secret = try team.invite("dana")
        }
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=\(counterparty)", "--set", "our_signer=bob", "--set", "their_signer=dana").check()
        try team.sigit("bot", "send", "nda-2").check()
        try team.sigit("alice", "approve", "nda-2").check()
        return (team, secret, try Server(team, arguments))
    }

    /// The value of `attribute="..."` on the first element that has it, unescaped for &amp; &quot;.
    static func attribute(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: " \(name)=\"") else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The CSRF token of a signing page.
    static func token(_ page: Answer) throws -> String {
        let meta = try #require(page.body.range(of: "<meta name=\"sigit-csrf\" content=\""))
        let rest = page.body[meta.upperBound...]
        return String(rest[..<(try #require(rest.firstIndex(of: "\"")))])
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func data(base64url text: String) throws -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return try #require(Data(base64Encoded: base64))
    }

    /// What the page's script does after `enroll` or `decide` answered: the passkey signs the challenge as a browser
    /// would on `origin`, and the assertion goes to `complete`.
    static func complete(_ server: Server, secret: String, token: String, prepared: Answer, passkey: SoftwareAuthenticator, counter: UInt32,
                         origin: String? = nil) throws -> Answer {
        let object = try prepared.json()
        let id = try #require(object["id"] as? String)
        let challenge = try data(base64url: try #require(object["challenge"] as? String))
        let assertion = try passkey.assertion(challenge: challenge, origin: origin ?? server.origin, counter: counter)
        return try server.post("/i/\(secret)/complete", [
            "id": id, "authenticatorData": base64url(assertion.authenticatorData), "clientDataJSON": base64url(assertion.clientDataJSON),
            "signature": base64url(assertion.derSignature),
        ], token: token)
    }

    /// `git verify-commit` with the repository's allowed_signers: stock git's verdict on a commit.
    static func stockVerify(_ team: Team, _ commit: String) throws -> RunResult {
        try team.git("-c", "gpg.ssh.allowedSignersFile=\(team.sandbox.path("repo/.sigit/allowed_signers"))", "verify-commit", commit)
    }

    @Test("invite, open the link, create a passkey, approve: each commit is the passkey's, stock git verifies it, verify passes")
    func happyPath() throws {
        let (team, secret, server) = try Self.invited()
        let page = try server.request("GET", "/i/\(secret)")
        #expect(page.status == 200)
        page.expectHardened()
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        let digest = try team.digest("nda-2")
        for expected in ["id=\"create-passkey\"", "id=\"digest\"", "id=\"steps\"", "id=\"documents\"", "id=\"message\"", digest, "dana@acme.example", "alice",
                         "<span id=\"agreement-state\">in-progress</span>", "nda.md", "agreement.yml"] {
            #expect(page.body.contains(expected), "the page shows \(expected)")
        }
        #expect(!page.body.contains("id=\"approve\""), "no approval before a passkey is enrolled")
        #expect(Self.attribute("data-digest", in: page.body) == digest)
        #expect(Self.attribute("data-rp-id", in: page.body) == "localhost")
        // No inline script or style: the only script is the embedded file.
        #expect(page.body.components(separatedBy: "<script").count == 2 && page.body.contains("<script src=\"/static/sign.js\" defer></script>"))
        #expect(!page.body.contains(" style=") && !page.body.contains("<style") && !page.body.contains(" onclick="))
        #expect(!page.body.contains("src=\"http") && !page.body.contains("href=\"http") && !page.body.contains("src=\"//"), "nothing is loaded from elsewhere")

        // The documents, byte for byte, as downloads (or a PDF inline), never sniffed.
        let nda = try server.request("GET", "/i/\(secret)/doc/nda.md")
        #expect(nda.status == 200)
        nda.expectHardened()
        #expect(nda.headers["content-type"] == "application/octet-stream")
        #expect(nda.headers["content-disposition"] == "attachment; filename=\"nda.md\"")
        #expect(nda.body == (try String(contentsOfFile: team.sandbox.path("repo/agreements/nda-2/nda.md"), encoding: .utf8)))
        #expect(try server.request("GET", "/i/\(secret)/doc/..%2F..%2F.sigit%2Fpolicy.yml").status == 404)
        #expect(try server.request("GET", "/i/\(secret)/doc/nothing.md").status == 404)

        // Create a passkey: its SPKI to /enroll, the challenge signed, the assertion to /complete.
        let token = try Self.token(page)
        let passkey = try SoftwareAuthenticator(kind: .p256, application: "localhost", seed: Data(repeating: 11, count: 32))
        let enroll = try server.post("/i/\(secret)/enroll", ["spki": Self.base64url(try passkey.spki)], token: token)
        #expect(enroll.status == 200, "\(enroll.body)")
        enroll.expectHardened()
        let enrolled = try Self.complete(server, secret: secret, token: token, prepared: enroll, passkey: passkey, counter: 1)
        #expect(enrolled.status == 200, "\(enrolled.body)")
        let enrollment = try #require(try enrolled.json()["commit"] as? String)
        #expect(try team.tip() == enrollment)
        let stock = try Self.stockVerify(team, enrollment)
        #expect(stock.status == 0, "\(stock.stderr)")
        #expect(stock.stderr.contains("Good \"git\" signature for dana@acme.example with ECDSA-SK key"), "\(stock.stderr)")

        // The page now offers approve and decline.
        let second = try server.request("GET", "/i/\(secret)")
        #expect(second.body.contains("id=\"approve\"") && second.body.contains("id=\"decline\"") && second.body.contains("id=\"decline-reason\""))
        #expect(!second.body.contains("id=\"create-passkey\""))

        // Approve at the digest the page shows.
        let started = Date()
        let decide = try server.post("/i/\(secret)/decide", ["approve": true, "digest": digest], token: try Self.token(second))
        #expect(decide.status == 200, "\(decide.body)")
        let approved = try Self.complete(server, secret: secret, token: try Self.token(second), prepared: decide, passkey: passkey, counter: 2)
        let elapsed = Date().timeIntervalSince(started)
        #expect(approved.status == 200, "\(approved.body)")
        let approval = try #require(try approved.json()["commit"] as? String)
        print("sigit serve: approve POST to commit \(Int(elapsed * 1000)) ms (server: \(try approved.json()["elapsed_ms"] ?? "?") ms in complete)")
        #expect(try team.tip() == approval)
        let stockApproval = try Self.stockVerify(team, approval)
        #expect(stockApproval.status == 0, "\(stockApproval.stderr)")
        #expect(try team.git("log", "-1", "--format=%B", approval).check().stdout.contains("Sigit-Digest: \(digest)"))

        try team.sigit("bob", "approve", "nda-2").check()
        let verdict = try team.verify()
        #expect(verdict.status == 0, "verify: \(verdict.messages)")
        let third = try server.request("GET", "/i/\(secret)")
        #expect(third.body.contains("<span id=\"agreement-state\">completed</span>"))
    }

    @Test("the server cannot act alone: a signing request is single use, another passkey or origin is refused, and nothing is written")
    func refusalsWriteNothing() throws {
        let (team, secret, server) = try Self.invited()
        let page = try server.request("GET", "/i/\(secret)")
        let token = try Self.token(page)
        let passkey = try SoftwareAuthenticator(kind: .p256, application: "localhost", seed: Data(repeating: 21, count: 32))
        let other = try SoftwareAuthenticator(kind: .p256, application: "localhost", seed: Data(repeating: 22, count: 32))
        let head = try team.tip()

        // A valid token from another origin is still refused.
        let foreign = try server.post("/i/\(secret)/enroll", ["spki": Self.base64url(try passkey.spki)], token: token, overrides: ["Origin": "https://evil.example"])
        #expect(foreign.status == 403)
        // Another passkey's signature over the challenge does not count.
        let first = try server.post("/i/\(secret)/enroll", ["spki": Self.base64url(try passkey.spki)], token: token)
        let forged = try Self.complete(server, secret: secret, token: token, prepared: first, passkey: other, counter: 1)
        #expect((400..<500).contains(forged.status), "\(forged.body)")
        #expect(try forged.json()["error"] is String)
        // The request was used up by the attempt.
        let replay = try Self.complete(server, secret: secret, token: token, prepared: first, passkey: passkey, counter: 1)
        #expect(replay.status == 404, "\(replay.body)")
        // The passkey's own signature for another origin is refused.
        let second = try server.post("/i/\(secret)/enroll", ["spki": Self.base64url(try passkey.spki)], token: token)
        let elsewhere = try Self.complete(server, secret: secret, token: token, prepared: second, passkey: passkey, counter: 1, origin: "https://evil.example")
        #expect(elsewhere.status == 400, "\(elsewhere.body)")
        // A key for another relying party is refused at /complete.
        let wrongParty = try SoftwareAuthenticator(kind: .p256, application: "evil.example", seed: Data(repeating: 23, count: 32))
        let third = try server.post("/i/\(secret)/enroll", ["spki": Self.base64url(try wrongParty.spki)], token: token)
        let misbound = try Self.complete(server, secret: secret, token: token, prepared: third, passkey: wrongParty, counter: 1)
        #expect((400..<500).contains(misbound.status), "\(misbound.body)")
        // Not an SPKI at all.
        let garbage = try server.post("/i/\(secret)/enroll", ["spki": "AAAA"], token: token)
        #expect(garbage.status == 400)
        #expect(try team.tip() == head, "nothing was written")
    }

    @Test("a decision at a digest the page did not show, or with a reason over 2000 characters, is refused and writes nothing")
    func decisionRefusals() throws {
        let (team, secret, server) = try Self.invited()
        let token = try Self.token(try server.request("GET", "/i/\(secret)"))
        let passkey = try SoftwareAuthenticator(kind: .p256, application: "localhost", seed: Data(repeating: 31, count: 32))
        let enroll = try server.post("/i/\(secret)/enroll", ["spki": Self.base64url(try passkey.spki)], token: token)
        #expect(try Self.complete(server, secret: secret, token: token, prepared: enroll, passkey: passkey, counter: 1).status == 200)
        let enrolledHead = try team.tip()
        let stale = try server.post("/i/\(secret)/decide", ["approve": true, "digest": "sha256:" + String(repeating: "a", count: 64)], token: token)
        #expect(stale.status == 409, "\(stale.body)")
        let long = try server.post("/i/\(secret)/decide", ["approve": false, "reason": String(repeating: "x", count: 2001), "digest": try team.digest("nda-2")], token: token)
        #expect(long.status == 400)
        #expect(try team.tip() == enrolledHead)
    }

    @Test("repository strings on the page are escaped (a hostile counterparty in the title and the document, quotes in a name)")
    func escapedPage() throws {
        let (_, secret, server) = try Self.invited(counterparty: "<script>alert(1)</script><img src=x onerror=alert(2)>", displayName: "Dana \"&' Acme")
        let page = try server.request("GET", "/i/\(secret)")
        #expect(page.status == 200, "\(page.body)")
        #expect(!page.body.contains("<script>alert") && !page.body.contains("<img"))
        #expect(page.body.contains("<h1 id=\"title\">Mutual NDA with &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</h1>"), "\(page.body)")
        #expect(page.body.contains("Dana &quot;&amp;&#39; Acme"))
        #expect(page.body.components(separatedBy: "<script").count == 2, "only the page's own script tag")
    }

    @Test("decline with a reason through the server: the commit carries the reason and the agreement is declined")
    func decline() throws {
        let (team, secret, server) = try Self.invited()
        let token = try Self.token(try server.request("GET", "/i/\(secret)"))
        let passkey = try SoftwareAuthenticator(kind: .p256, application: "localhost", seed: Data(repeating: 41, count: 32))
        let enroll = try server.post("/i/\(secret)/enroll", ["spki": Self.base64url(try passkey.spki)], token: token)
        #expect(try Self.complete(server, secret: secret, token: token, prepared: enroll, passkey: passkey, counter: 1).status == 200)
        let reason = "Clause 4 <b>must</b> name the jurisdiction & the term"
        let decide = try server.post("/i/\(secret)/decide", ["approve": false, "reason": reason, "digest": try team.digest("nda-2")], token: token)
        #expect(decide.status == 200, "\(decide.body)")
        let declined = try Self.complete(server, secret: secret, token: token, prepared: decide, passkey: passkey, counter: 2)
        #expect(declined.status == 200, "\(declined.body)")
        let commit = try #require(try declined.json()["commit"] as? String)
        #expect(try Self.stockVerify(team, commit).status == 0)
        #expect(try team.git("log", "-1", "--format=%B", commit).check().stdout.contains(reason))
        #expect(try team.verify().status == 0)
        let page = try server.request("GET", "/i/\(secret)")
        #expect(page.body.contains("<span id=\"agreement-state\">declined</span>"))
        #expect(page.body.contains("Clause 4 &lt;b&gt;must&lt;/b&gt; name the jurisdiction &amp; the term"))
    }

    @Test("--push pushes each new commit; a failed push is reported and the commit stands")
    func push() throws {
        let (team, secret, server) = try Self.invited(serve: ["--push"])
        let token = try Self.token(try server.request("GET", "/i/\(secret)"))
        let passkey = try SoftwareAuthenticator(kind: .p256, application: "localhost", seed: Data(repeating: 51, count: 32))
        // No remote yet: the enrollment is written, the push fails and says so.
        let enroll = try server.post("/i/\(secret)/enroll", ["spki": Self.base64url(try passkey.spki)], token: token)
        let enrolled = try Self.complete(server, secret: secret, token: token, prepared: enroll, passkey: passkey, counter: 1)
        #expect(enrolled.status == 200, "\(enrolled.body)")
        let answer = try enrolled.json()
        let enrollment = try #require(answer["commit"] as? String)
        #expect(answer["pushed"] as? Bool == false)
        #expect((answer["push_error"] as? String)?.isEmpty == false)
        #expect(try team.tip() == enrollment)
        // With a remote, the approval lands there.
        try team.sandbox.run("/usr/bin/env", ["git", "clone", "-q", "--bare", team.sandbox.path("repo"), team.sandbox.path("remote.git")], in: team.sandbox.root.path).check()
        try team.git("remote", "add", "origin", team.sandbox.path("remote.git")).check()
        let decide = try server.post("/i/\(secret)/decide", ["approve": true, "digest": try team.digest("nda-2")], token: token)
        let approved = try Self.complete(server, secret: secret, token: token, prepared: decide, passkey: passkey, counter: 2)
        #expect(approved.status == 200, "\(approved.body)")
        let approval = try #require(try approved.json()["commit"] as? String)
        #expect(try approved.json()["pushed"] as? Bool == true, "\(approved.body)")
        let remote = try team.sandbox.run("/usr/bin/env", ["git", "--git-dir", team.sandbox.path("remote.git"), "rev-parse", "main"], in: team.sandbox.root.path).check()
        #expect(remote.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == approval)
    }

    @Test("a PDF is framed inline as application/pdf, other files are downloads; both byte for byte, never sniffed")
    func documentKinds() throws {
        let team = try Team(nda: false)
        let secret = try team.invite("dana")
        try team.sigit("bot", "new", "nda", "nda-2", "--set", "counterparty=Acme", "--set", "our_signer=bob", "--set", "their_signer=dana").check()
        let folder = team.sandbox.path("repo/agreements/nda-2")
        let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
        let blob = Data([0x00, 0x01, 0x02, 0xFF, 0x3C, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x3E])  // NUL ... "<script>"
        try pdf.write(to: URL(fileURLWithPath: folder + "/terms.pdf"))
        try blob.write(to: URL(fileURLWithPath: folder + "/annex one.bin"))
        let yml = try String(contentsOfFile: folder + "/agreement.yml", encoding: .utf8)
        try yml.replacingOccurrences(of: "documents: [nda.md]", with: "documents: [nda.md, terms.pdf, \"annex one.bin\"]")
            .write(toFile: folder + "/agreement.yml", atomically: true, encoding: .utf8)
        try team.sigit("bot", "draft", "nda-2", "-m", "terms and annex").check()
        try team.sigit("bot", "send", "nda-2").check()
        let server = try Server(team)
        let page = try server.request("GET", "/i/\(secret)")
        #expect(page.status == 200)
        #expect(page.body.contains("<iframe class=\"pdf\" title=\"terms.pdf\" src=\"/i/\(secret)/doc/terms.pdf\"></iframe>"), "\(page.body)")
        #expect(page.body.contains("href=\"/i/\(secret)/doc/annex%20one.bin\" rel=\"noreferrer\" download"))
        // The documents the agreement names come first, in its order.
        let order = ["nda.md", "terms.pdf", "annex one.bin", "agreement.yml"].compactMap { page.body.range(of: "<h3><code>\($0)</code></h3>")?.lowerBound }
        #expect(order.count == 4 && order == order.sorted())

        let served = try server.request("GET", "/i/\(secret)/doc/terms.pdf")
        #expect(served.status == 200)
        served.expectHardened(csp: ServeTests.csp.replacingOccurrences(of: "frame-ancestors 'none'", with: "frame-ancestors 'self'"))
        #expect(served.headers["content-type"] == "application/pdf")
        #expect(served.headers["content-disposition"] == "inline; filename=\"terms.pdf\"")
        #expect(Data(served.body.utf8) == pdf)
        let annex = try server.request("GET", "/i/\(secret)/doc/annex%20one.bin")
        #expect(annex.status == 200)
        annex.expectHardened()
        #expect(annex.headers["content-type"] == "application/octet-stream")
        #expect(annex.headers["content-disposition"] == "attachment; filename=\"annex one.bin\"")
        let raw = try team.sandbox.run("/usr/bin/env", ["curl", "-s", "http://127.0.0.1:\(server.port)/i/\(secret)/doc/annex%20one.bin", "-o", team.sandbox.path("annex.out")],
                                       in: team.sandbox.root.path)
        #expect(raw.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: team.sandbox.path("annex.out"))) == blob)
    }

    @Test("the page's token is bound to its invitation: another invitation's token is refused")
    func tokenPerInvitation() throws {
        let (team, dana, server) = try Self.invited()
        let erin = try team.invite("erin")
        let danaToken = try Self.token(try server.request("GET", "/i/\(dana)"))
        let erinToken = try Self.token(try server.request("GET", "/i/\(erin)"))
        #expect(danaToken != erinToken)
        let passkey = try SoftwareAuthenticator(kind: .p256, application: "localhost", seed: Data(repeating: 61, count: 32))
        let head = try team.tip()
        let crossed = try server.post("/i/\(erin)/enroll", ["spki": Self.base64url(try passkey.spki)], token: danaToken)
        #expect(crossed.status == 403)
        #expect(try team.tip() == head)
        let own = try server.post("/i/\(erin)/enroll", ["spki": Self.base64url(try passkey.spki)], token: erinToken)
        #expect(own.status == 200, "\(own.body)")
        // A signing request prepared for one invitation cannot be completed through another's link.
        let assertion = try passkey.assertion(challenge: try Self.data(base64url: try #require(try own.json()["challenge"] as? String)), origin: server.origin)
        let elsewhere = try server.post("/i/\(dana)/complete", [
            "id": try #require(try own.json()["id"] as? String), "authenticatorData": Self.base64url(assertion.authenticatorData),
            "clientDataJSON": Self.base64url(assertion.clientDataJSON), "signature": Self.base64url(assertion.derSignature),
        ], token: danaToken)
        #expect(elsewhere.status == 404)
        #expect(try team.tip() == head)
    }
}
