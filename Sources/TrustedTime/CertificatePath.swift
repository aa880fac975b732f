import X509

/// A chain from a TSA certificate to a trusted certificate, built without the network.
///
/// swift-certificates' `Verifier` is asynchronous and checks validity at one moment for a TLS-style
/// policy; sigit's verifier is synchronous and checks validity at each token's genTime, so this walks
/// the few certificates a token carries with the primitives swift-certificates exposes.
enum CertificatePath {
    /// The longest chain tried, TSA certificate included.
    static let maximumLength = 6

    /// The most certificates of a token tried as intermediates.
    static let maximumIntermediates = 16

    /// The chain from `leaf` to a certificate of `trusted` (`[leaf]` when it is listed itself), through
    /// `intermediates`; each issuer's name matches, its signature verifies, and it is a CA. Nil when none.
    ///
    /// Each intermediate is expanded once at most, so a token full of certificates that sign one another
    /// costs a number of signature checks quadratic in `maximumIntermediates`, not exponential.
    static func build(leaf: Certificate, intermediates: [Certificate], trusted: [Certificate]) -> [Certificate]? {
        if trusted.contains(leaf) { return [leaf] }
        var expanded: Set<Certificate> = []
        return extend([leaf], intermediates: Array(intermediates.prefix(maximumIntermediates)), trusted: trusted, expanded: &expanded)
    }

    private static func extend(_ path: [Certificate], intermediates: [Certificate], trusted: [Certificate],
                               expanded: inout Set<Certificate>) -> [Certificate]? {
        guard let tip = path.last, path.count < maximumLength else { return nil }
        for root in trusted where issued(tip, by: root) {
            return path + [root]
        }
        for candidate in intermediates where !expanded.contains(candidate) && !path.contains(candidate) {
            guard issued(tip, by: candidate) else { continue }
            expanded.insert(candidate)
            if let found = extend(path + [candidate], intermediates: intermediates, trusted: trusted, expanded: &expanded) { return found }
        }
        return nil
    }

    /// True when `issuer` names, signed and may sign `certificate`.
    static func issued(_ certificate: Certificate, by issuer: Certificate) -> Bool {
        guard certificate.issuer == issuer.subject, isAuthority(issuer) else { return false }
        return issuer.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    /// True for a CA certificate whose key usage, when given, allows signing certificates.
    static func isAuthority(_ certificate: Certificate) -> Bool {
        guard case .isCertificateAuthority = try? certificate.extensions.basicConstraints else { return false }
        if let usage = try? certificate.extensions.keyUsage, !usage.keyCertSign { return false }
        return true
    }
}
