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

    @Test("attempts are rate limited per invitation: the 11th in a minute gets 429")
    func rateLimitPerInvitation() throws {
        let team = try Team()
        let server = try Server(team)
        let secret = Self.unknownSecret()
        var statuses: [Int] = []
        for _ in 0..<11 { statuses.append(try server.post("/i/\(secret)/enroll", ["spki": "AA"], token: nil).status) }
        #expect(statuses.prefix(10).allSatisfy { $0 == 403 }, "\(statuses)")
        #expect(statuses.last == 429)
        // Another invitation from the same client is not blocked by the first one's limit.
        #expect(try server.post("/i/\(Self.unknownSecret())/enroll", ["spki": "AA"], token: nil).status == 403)
    }

    @Test("attempts are rate limited per client address across invitations: the 31st in a minute gets 429")
    func rateLimitPerClient() throws {
        let team = try Team()
        let server = try Server(team)
        var statuses: [Int] = []
        for _ in 0..<31 { statuses.append(try server.post("/i/\(Self.unknownSecret())/decide", ["approve": true], token: nil).status) }
        #expect(statuses.prefix(30).allSatisfy { $0 == 403 }, "\(statuses)")
        #expect(statuses.last == 429)
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
}
