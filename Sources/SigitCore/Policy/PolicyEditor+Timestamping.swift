import Foundation
import TrustedTime

extension PolicyEditor {
    /// The largest certificate file `sigit policy timestamping add` reads.
    static let maximumCertificateFileBytes = 64 * 1024

    /// The DER of the one PEM certificate in the file at `path` (`--certificate`): the TSA's signing certificate or
    /// the root that issued it. Refuses a file that cannot be read, a private key, and anything but exactly one
    /// `CERTIFICATE` block that parses as X.509.
    public static func authorityCertificate(fromFile path: String) throws -> Data {
        let shown = Name.quoted(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            throw SigitError.badInput("cannot read --certificate \(shown); give a PEM file with the authority's certificate")
        }
        guard data.count <= maximumCertificateFileBytes else {
            throw SigitError.badInput("--certificate \(shown) is larger than \(maximumCertificateFileBytes / 1024) KiB; give a PEM file with one certificate")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("PRIVATE KEY-----") {
            throw SigitError.badInput("--certificate \(shown) holds a private key; give the authority's certificate, which is all the policy holds")
        }
        let blocks = text.components(separatedBy: "-----BEGIN ").count - 1
        guard blocks == 1, text.contains("-----BEGIN CERTIFICATE-----") else {
            throw SigitError.badInput(blocks > 1
                ? "--certificate \(shown) holds \(blocks) PEM blocks; give exactly one certificate (the TSA's signing certificate or its issuing root)"
                : "--certificate \(shown) is not a PEM certificate (-----BEGIN CERTIFICATE-----); convert DER with openssl x509 -inform der")
        }
        do {
            return try CertificateDER.fromPEM(text)
        } catch {
            throw SigitError.badInput("--certificate \(shown) is not one PEM X.509 certificate that parses")
        }
    }

    /// Whether `text` is an address the policy accepts for a TSA: `http` or `https` with a host, no spaces or
    /// control characters (what `Policy(yaml:)` accepts for `url:`).
    static func isValidAuthorityURL(_ text: String) -> Bool {
        guard !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }),
              let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
              let host = parsed.host, !host.isEmpty else { return false }
        return true
    }

    /// Adds a trusted time-stamping authority to the policy's `timestamping:` section (created when there is none).
    ///
    /// Refuses an invalid name, a name already listed, a certificate already listed under another name, and a `url`
    /// that is not an http or https address.
    public static func addAuthority(_ policy: inout Policy, name: String, certificate: Data, url: String?) throws {
        try Name.check(name, "authority name")
        var section = policy.timestamping ?? Timestamping(authorities: [])
        guard !section.authorities.contains(where: { $0.name == name }) else {
            throw SigitError.badInput("time-stamping authority \(name) is already listed; remove it first to replace it (sigit policy timestamping remove \(name))")
        }
        if let other = section.authorities.first(where: { $0.certificate == certificate }) {
            throw SigitError.badInput("this certificate is already listed as time-stamping authority \(other.name)")
        }
        if let url, !isValidAuthorityURL(url) {
            throw SigitError.badInput("--url \(Name.quoted(url)) is not an http or https address like https://tsa.example.com/tsr")
        }
        section.authorities.append(TimestampAuthority(name: name, certificate: certificate, url: url))
        policy.timestamping = section
    }

    /// Removes a time-stamping authority; its tokens stop counting. The section goes with its last authority.
    ///
    /// Refuses an invalid or unknown name.
    public static func removeAuthority(_ policy: inout Policy, name: String) throws {
        try Name.check(name, "authority name")
        guard var section = policy.timestamping, let index = section.authorities.firstIndex(where: { $0.name == name }) else {
            let listed = policy.timestamping?.authorities.map(\.name) ?? []
            throw SigitError.badInput("unknown time-stamping authority \(name); \(listed.isEmpty ? "the policy lists none" : "the policy lists \(listed.joined(separator: ", "))")")
        }
        section.authorities.remove(at: index)
        policy.timestamping = section.authorities.isEmpty ? nil : section
    }

    /// Sets `max-skew` (a duration like `10m`, `2h`, `1d`) and `approvals` (whether `sigit approve` time-stamps its own
    /// approval) of the `timestamping:` section; nil leaves a setting as it is.
    ///
    /// Refuses a policy that lists no authority, a malformed or zero duration, no setting at all, and a change that
    /// changes nothing.
    public static func setTimestamping(_ policy: inout Policy, maxSkew: String?, approvals: Bool?) throws {
        guard maxSkew != nil || approvals != nil else {
            throw SigitError.badInput("name a setting to change: --max-skew DURATION, --approvals on|off")
        }
        guard var section = policy.timestamping, !section.authorities.isEmpty else {
            throw SigitError.badInput("the policy lists no time-stamping authority; add one first with sigit policy timestamping add NAME --certificate FILE")
        }
        if let maxSkew {
            guard let duration = WorkflowDuration(maxSkew), duration.seconds > 0 else {
                throw SigitError.badInput("--max-skew \(Name.quoted(maxSkew)) is not a duration like 10m, 2h or 1d")
            }
            section.maxSkew = TimeInterval(duration.seconds)
        }
        if let approvals { section.approvals = approvals }
        guard section != policy.timestamping else {
            throw SigitError.badInput("max-skew is already \(Int(section.maxSkew) / 60)m and approvals \(section.approvals ? "on" : "off"); nothing to change")
        }
        policy.timestamping = section
    }
}
