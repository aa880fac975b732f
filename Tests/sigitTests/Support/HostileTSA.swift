import Foundation
import Testing

/// A time-stamping authority whose certificate subject carries markup, a Markdown link and a right-to-left override,
/// made by openssl in the sandbox (its own CA; a TSA certificate with `extendedKeyUsage = critical, timeStamping`)
/// and signing with `openssl ts -reply`, the program the loopback TSA runs, called directly. The subject reaches
/// certificates and `sigit log` from the token: untrusted text.
struct HostileTSA {
    /// The organisation (markup) and common name (Markdown, a table cell break, U+202E) of the TSA certificate.
    static let organisation = "<img src=x onerror=alert(1)>"
    static let commonName = "*bold* [link](javascript:x) | \u{202E}gnp.exe"

    let sandbox: Sandbox
    /// The folder of its files, inside the sandbox.
    let folder: String

    /// Makes the CA, the TSA certificate and the `openssl ts` configuration.
    init(_ sandbox: Sandbox) throws {
        self.sandbox = sandbox
        folder = sandbox.path("hostile-tsa")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = """
        [ tsa ]
        serial = \(folder)/serial
        crypto_device = builtin
        signer_cert = \(folder)/tsa.pem
        signer_key = \(folder)/tsa.key
        certs = \(folder)/ca.pem
        signer_digest = sha256
        default_policy = 1.3.6.1.4.1.99999.2
        digests = sha256
        ess_cert_id_alg = sha256
        ess_cert_id_chain = no

        """
        try config.write(toFile: folder + "/tsa.cnf", atomically: true, encoding: .utf8)
        try "01\n".write(toFile: folder + "/serial", atomically: true, encoding: .utf8)
        try "basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = critical, timeStamping\n"
            .write(toFile: folder + "/ext.cnf", atomically: true, encoding: .utf8)
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                     "-subj", "/CN=hostile test root", "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "tsa.key"])
        try openssl(["req", "-new", "-key", "tsa.key", "-utf8", "-subj", "/O=\(Self.organisation)/CN=\(Self.commonName)", "-out", "tsa.csr"])
        try openssl(["x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "tsa.pem",
                     "-days", "10", "-extfile", "ext.cnf"])
    }

    /// The CA's certificate (PEM file): the authority a policy lists.
    var rootPEM: String { folder + "/ca.pem" }

    /// A token over the SHA-256 of `object`: `openssl ts -query` then `openssl ts -reply -token_out`.
    func token(over object: Data) throws -> Data {
        let name = UUID().uuidString
        try object.write(to: URL(fileURLWithPath: "\(folder)/\(name).data"))
        try openssl(["ts", "-query", "-data", "\(name).data", "-sha256", "-cert", "-out", "\(name).tsq"])
        try openssl(["ts", "-reply", "-config", "tsa.cnf", "-section", "tsa", "-queryfile", "\(name).tsq", "-token_out", "-out", "\(name).tsr"])
        return try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name).tsr"))
    }

    private func openssl(_ arguments: [String]) throws {
        try sandbox.run("/usr/bin/env", ["openssl"] + arguments, in: folder).check()
    }
}
