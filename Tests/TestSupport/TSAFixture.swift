import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TrustedTime
import X509

/// A real time-stamping authority on loopback, built once per test process (TrustedTimeTests, sigitTests): two CAs, TSA certificates and an
/// `openssl ts` configuration made by openssl in a scratch folder, and tsa_server.py answering POSTs with
/// `openssl ts -reply`.
///
/// `@unchecked Sendable`: every stored property is set in `init` and never changed; the server process is
/// only signalled in `deinit`.
public final class TSAFixture: @unchecked Sendable {
    /// The fixture of the test process, or the error that stopped building it; removed when the test process exits.
    public static let shared: Result<TSAFixture, any Error> = {
        let fixture = Result { try TSAFixture() }
        atexit { TSAFixture.tearDown() }
        return fixture
    }()

    /// Stops the server and removes the scratch folder (a static is never released, so `deinit` would not run).
    public static func tearDown() {
        guard case .success(let fixture) = shared else { return }
        fixture.server.kill()
        fixture.server.wait()
        fixture.scratch.remove()
    }

    public let scratch: ScratchDirectory
    public let tools: ToolRunner
    public let server: SpawnedProcess
    public let port: Int
    /// CA A, trusted by the tests.
    public let rootA: Certificate
    /// CA B, which issued the unlisted TSA.
    public let rootB: Certificate

    public init() throws {
        scratch = try ScratchDirectory(prefix: "sigit-tsa")
        // Everything is made on 2025-01-01 and valid for ten years, so tests can ask for tokens dated in the past
        // (`stamp(_:by:at:)`) that still fall inside every certificate's validity.
        tools = ToolRunner(home: scratch.path)
        let maker = ToolRunner(home: scratch.path, environment: try FakeClock.environment(at: Self.madeAt))
        let dir = scratch.path
        try FileManager.default.createDirectory(atPath: dir + "/newcerts", withIntermediateDirectories: true)
        for name in ["indexA.txt", "indexB.txt"] { _ = try scratch.write("", to: name) }
        for name in ["serialA", "serialB"] { _ = try scratch.write("1000\n", to: name) }
        _ = try scratch.write(Self.caConfig(dir: dir), to: "ca.cnf")
        _ = try scratch.write(Self.tsaConfig(dir: dir), to: "tsa.cnf")
        for profile in TSAProfile.all { _ = try scratch.write("01\n", to: "serial-\(profile.section)") }

        let caExtensions = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
        try maker.succeed("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "caA.key", "-out", "caA.pem",
                                      "-subj", "/CN=sigit test root A", "-days", "3650", "-sha256"] + caExtensions)
        try maker.succeed("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "caB.key",
                                      "-out", "caB.pem", "-subj", "/CN=sigit test root B", "-days", "3650", "-sha256"] + caExtensions)
        let rsa = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], p256 = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        let year = ["-days", "3650"]
        let keys: [(String, [String], String, String, [String], String)] = [
            ("tsa-rsa", rsa, "sigit test TSA RSA", "ca_A", year, "tsa_ext"),
            ("tsa-p256", p256, "sigit test TSA P-256", "ca_A", year, "tsa_ext"),
            ("tsa-p384", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"], "sigit test TSA P-384", "ca_A", year, "tsa_ext"),
            ("tsa-other", p256, "unlisted TSA", "ca_B", year, "tsa_ext"),
            ("tsa-expired", p256, "sigit test TSA expired", "ca_A", ["-startdate", "20200101000000Z", "-enddate", "20210101000000Z"], "tsa_ext"),
            ("tsa-eku-noncritical", p256, "sigit test TSA non-critical EKU", "ca_A", year, "tsa_ext_noncritical"),
            ("tsa-eku-two", p256, "sigit test TSA two EKUs", "ca_A", year, "tsa_ext_two"),
        ]
        for (name, algorithm, subject, ca, validity, extensions) in keys {
            try maker.succeed("openssl", ["genpkey"] + algorithm + ["-out", "\(name).key"])
            try maker.succeed("openssl", ["req", "-new", "-key", "\(name).key", "-subj", "/CN=\(subject)", "-out", "\(name).csr"])
            try maker.succeed("openssl", ["ca", "-config", "ca.cnf", "-name", ca, "-batch", "-notext", "-in", "\(name).csr",
                                          "-out", "\(name).pem", "-extensions", extensions] + validity)
        }
        rootA = try Certificate(pemEncoded: scratch.read("caA.pem"))
        rootB = try Certificate(pemEncoded: scratch.read("caB.pem"))

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/tsa_server.py").path
        let environment = ProcessInfo.processInfo.environment
        server = try SpawnedProcess("/usr/bin/env", ["python3", script, dir + "/tsa.cnf", FakeClock.library ?? ""], environment: environment, scratch: dir + "/tsa_server")
        port = try server.announcedPort(name: "tsa_server.py")
    }

    deinit {
        server.kill()
        server.wait()
    }

    /// When the fixture's certificates were made: 2025-01-01 (they are valid for ten years, the CAs' too).
    public static let madeAt = Date(timeIntervalSince1970: 1_735_689_600)

    /// The URL where `profile`'s TSA answers RFC 3161 requests over HTTP (`POST`, application/timestamp-query);
    /// with `at`, its clock reads that time when it signs (genTime), through faketime.
    public func url(_ profile: TSAProfile, at: Date? = nil) -> String {
        "http://127.0.0.1:\(port)/\(profile.section)" + (at.map { "?at=\(Int($0.timeIntervalSince1970))" } ?? "")
    }

    /// The path of a file of the fixture folder: `caA.pem`, `caB.pem`, or a profile's `certificate`.
    public func file(_ name: String) -> String {
        scratch.path(name)
    }

    /// The certificate of `profile`'s TSA.
    public func certificate(_ profile: TSAProfile) throws -> Certificate {
        try Certificate(pemEncoded: scratch.read(profile.certificate))
    }

    /// Sends `request` to `profile`'s TSA over HTTP and returns the response's DER.
    public func post(_ request: TimeStampRequest, to profile: TSAProfile, at: Date? = nil) async throws -> Data {
        guard let address = URL(string: url(profile, at: at)) else { throw ToolFailure(description: "bad URL") }
        var http = URLRequest(url: address, timeoutInterval: 30)
        http.httpMethod = "POST"
        http.setValue("application/timestamp-query", forHTTPHeaderField: "Content-Type")
        http.httpBody = request.der
        let (body, response) = try await URLSession.shared.data(for: http)
        guard let status = (response as? HTTPURLResponse)?.statusCode, status == 200 else {
            throw ToolFailure(description: "the TSA answered \(String(describing: (response as? HTTPURLResponse)?.statusCode)): \(server.stderr)")
        }
        return body
    }

    /// A token from `profile`'s TSA over the SHA-256 of `data`.
    public func stamp(_ data: Data, by profile: TSAProfile, nonce: UInt64? = nil, certReq: Bool = true, at: Date? = nil) async throws -> TimeStampToken {
        let request = TimeStampRequest(imprint: Data(SHA256.hash(data: data)), nonce: nonce, certReq: certReq)
        return try TimeStampResponse(der: try await post(request, to: profile, at: at)).grantedToken()
    }

    /// What `openssl ts -verify` says of `token`: its exit status and output. `check` is `-data FILE`, `-digest HEX`
    /// or `-queryfile FILE`; `trust` the PEM files of -CAfile; the TSA certificate goes in -untrusted.
    public func opensslVerify(_ token: Data, check: [String], trust: [String], untrusted: String? = nil) throws -> (ok: Bool, output: String) {
        let name = "token-\(UUID().uuidString.prefix(8)).der"
        let tokenPath = try scratch.write(token, to: name)
        let bundle = try scratch.write(try trust.map { try scratch.read($0) }.joined(), to: "trust-\(name).pem")
        var arguments = ["ts", "-verify", "-in", tokenPath, "-token_in", "-CAfile", bundle] + check
        if let untrusted { arguments += ["-untrusted", scratch.path(untrusted)] }
        let result = try tools.run("openssl", arguments, timeout: 60)
        return (result.status == 0 && result.text.contains("Verification: OK"), result.text + result.stderr)
    }

    /// The X509v3 extensions every TSA certificate gets, and the two CAs, for `openssl ca`.
    public static func caConfig(dir: String) -> String {
        var text = ""
        for name in ["A", "B"] {
            text += """
            [ ca_\(name) ]
            dir = \(dir)
            certificate = $dir/ca\(name).pem
            private_key = $dir/ca\(name).key
            database = $dir/index\(name).txt
            new_certs_dir = $dir/newcerts
            serial = $dir/serial\(name)
            default_md = sha256
            policy = policy_any
            unique_subject = no

            """
        }
        return text + """
        [ policy_any ]
        commonName = supplied

        [ tsa_ext ]
        basicConstraints = CA:FALSE
        keyUsage = critical, digitalSignature, nonRepudiation
        extendedKeyUsage = critical, timeStamping
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        [ tsa_ext_noncritical ]
        basicConstraints = CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = timeStamping

        [ tsa_ext_two ]
        basicConstraints = CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = critical, timeStamping, codeSigning

        """
    }

    /// One `openssl ts` section per profile (`openssl ts -reply -section NAME`).
    public static func tsaConfig(dir: String) -> String {
        TSAProfile.all.map { profile in
            var section = """
            [ \(profile.section) ]
            dir = \(dir)
            serial = $dir/serial-\(profile.section)
            crypto_device = builtin
            signer_cert = $dir/\(profile.certificate)
            signer_key = $dir/\(profile.key)
            certs = $dir/ca\(profile.issuer).pem
            signer_digest = \(profile.digest)
            default_policy = 1.3.6.1.4.1.99999.1.\(profile.section.count)
            digests = \(profile.acceptedDigests)
            ess_cert_id_alg = \(profile.essAlgorithm)
            ess_cert_id_chain = no

            """
            if profile.section == "rsa" {
                section += """
                accuracy = secs:1, millisecs:500, microsecs:100
                clock_precision_digits = 3
                ordering = yes
                tsa_name = yes

                """
            }
            return section
        }.joined(separator: "\n")
    }
}
