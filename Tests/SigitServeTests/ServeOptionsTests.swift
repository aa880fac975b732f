import SigitServe
import Testing

/// Spec section 9 and WebAuthn: the passkey's relying party is the origin's host, which must be a secure context.
@Suite("sigit serve options")
struct ServeOptionsTests {
    @Test("an origin is normalized and its host is the relying-party id", arguments: [
        ("http://localhost:8080", "http://localhost:8080", "localhost"),
        ("https://Sign.Example.org/", "https://sign.example.org", "sign.example.org"),
        ("https://sign.example.org:443", "https://sign.example.org", "sign.example.org"),
        ("https://sign.example.org:8443", "https://sign.example.org:8443", "sign.example.org"),
        ("http://app.localhost:9000", "http://app.localhost:9000", "app.localhost"),
    ])
    func origins(text: String, origin: String, relyingParty: String) throws {
        let parsed = try ServeOptions.parseOrigin(text)
        #expect(parsed.origin == origin)
        #expect(parsed.relyingParty == relyingParty)
    }

    @Test("origins WebAuthn cannot use are refused", arguments: [
        "http://sign.example.org",      // not a secure context
        "https://127.0.0.1:8443",       // an IP address is not a relying-party id
        "http://127.0.0.1:8080",
        "https://[::1]:8443",
        "https://sign.example.org/app", // a path
        "https://user@sign.example.org",
        "ftp://sign.example.org",
        "sign.example.org",
    ])
    func badOrigins(text: String) {
        #expect(throws: (any Error).self) { try ServeOptions.parseOrigin(text) }
    }

    @Test("--listen takes HOST:PORT and [IPv6]:PORT")
    func listen() throws {
        let v4 = try ServeOptions(repository: ".", listen: "127.0.0.1:0", origin: nil, push: false)
        #expect(v4.host == "127.0.0.1" && v4.port == 0)
        let v6 = try ServeOptions(repository: ".", listen: "[::1]:8443", origin: "https://sign.example.org", push: true)
        #expect(v6.host == "::1" && v6.port == 8443 && v6.push)
        for bad in ["8080", "127.0.0.1:", "127.0.0.1:70000", ":8080", "[::1]8080"] {
            #expect(throws: (any Error).self) { try ServeOptions(repository: ".", listen: bad, origin: nil, push: false) }
        }
    }
}
