import Foundation
import SwiftASN1
import X509

extension TimeStampToken {
    /// Checks that this token counts (spec 8, RFC 3161 2.4.2, RFC 5652 5.4-5.6, RFC 5035) and returns what it proves.
    ///
    /// - The signed attributes carry content-type id-ct-TSTInfo and a message-digest equal to the hash of the TSTInfo.
    /// - The signature over the signed attributes verifies with the signer certificate's key (RSA PKCS #1 v1.5 or PSS, ECDSA).
    /// - The ESSCertID(v2) names that certificate, which has the critical extended key usage timeStamping alone.
    /// - The certificate is trusted, or chains through the token's certificates to one that is.
    /// - `genTime` is inside the validity of every certificate of that chain.
    /// - The imprint is SHA-256 and equals `imprint`; the nonce equals `nonce` when one is given.
    ///
    /// - Parameters:
    ///   - imprint: the SHA-256 of the data the token must cover.
    ///   - trustedRoots: the TSA certificates or their issuers that are trusted.
    ///   - nonce: the nonce of the request, when the caller sent one.
    public func verify(imprint: Data, trustedRoots: [Certificate], nonce: UInt64? = nil) throws(TrustedTimeError) -> VerifiedTime {
        let signer = self.signer
        guard let contentType = contentTypeAttribute else { throw .missingAttribute("content-type") }
        guard contentType == .tsTSTInfo else { throw .contentTypeMismatch }
        guard let messageDigest = messageDigestAttribute else { throw .missingAttribute("message-digest") }
        guard messageDigest == signer.digestAlgorithm.hash(signedData.content) else { throw .messageDigestMismatch }

        var candidates = signedData.certificates
        for root in trustedRoots where !candidates.contains(where: { $0.certificate == root }) {
            if let encoded = try? EncodedCertificate(root) { candidates.append(encoded) }
        }
        guard let signing = candidates.first(where: { signer.identifier.matches($0.certificate) }) else {
            throw .signerCertificateNotFound
        }
        let certificate = signing.certificate
        guard signer.scheme.isValid(signature: signer.signature, message: signer.signedBytes, key: certificate.publicKey) else {
            throw .signatureInvalid
        }

        guard let essID = signingCertificateID else { throw .missingAttribute("signing-certificate (ESSCertID or ESSCertIDv2)") }
        guard essID.hashAlgorithm.hash(signing.der) == essID.certificateHash else { throw .signingCertificateMismatch }
        if let serial = essID.serialNumber, serial != DERReader.trimmed(certificate.serialNumber.bytes) {
            throw .signingCertificateMismatch
        }
        try Self.checkTimeStampingUsage(certificate)

        let intermediates = signedData.certificates.map(\.certificate).filter { $0 != certificate }
        guard let chain = CertificatePath.build(leaf: certificate, intermediates: intermediates, trusted: trustedRoots),
              let authority = chain.last
        else {
            throw .untrustedAuthority(TrustedTimeError.printable(certificate.subject.description))
        }
        for link in chain where info.genTime < link.notValidBefore || info.genTime > link.notValidAfter {
            throw .genTimeOutsideValidity(genTime: info.genTime, notBefore: link.notValidBefore, notAfter: link.notValidAfter)
        }

        guard info.messageImprint.hashAlgorithm == .tsSHA256 else { throw .imprintAlgorithm(info.messageImprint.algorithmName) }
        guard info.messageImprint.hashedMessage == imprint else { throw .imprintMismatch }
        if let nonce {
            guard let carried = info.nonce else { throw .nonceMissing }
            guard carried == DERReader.trimmed(withUnsafeBytes(of: nonce.bigEndian, Array.init)) else { throw .nonceMismatch }
        }
        return VerifiedTime(
            genTime: info.genTime,
            accuracy: info.accuracy,
            tsaCertificate: certificate,
            tsaSubject: certificate.subject.description,
            authority: authority,
            serialNumber: info.serialNumber.map { String(format: "%02x", $0) }.joined(),
            policy: info.policy.description
        )
    }

    /// RFC 3161 2.3: the extended key usage is present, critical, and timeStamping alone; a key usage,
    /// when present, allows digitalSignature or nonRepudiation.
    static func checkTimeStampingUsage(_ certificate: Certificate) throws(TrustedTimeError) {
        guard let extendedKeyUsage = certificate.extensions.first(where: { $0.oid == .X509ExtensionID.extendedKeyUsage }) else {
            throw .notTimeStampingCertificate("it has no extended key usage")
        }
        guard extendedKeyUsage.critical else { throw .notTimeStampingCertificate("its extended key usage is not critical") }
        guard let usages = try? ExtendedKeyUsage(extendedKeyUsage) else {
            throw .notTimeStampingCertificate("its extended key usage cannot be read")
        }
        guard Array(usages) == [.timeStamping] else {
            throw .notTimeStampingCertificate("its extended key usage is not timeStamping alone")
        }
        if let keyUsage = try? certificate.extensions.keyUsage, !keyUsage.digitalSignature, !keyUsage.nonRepudiation {
            throw .notTimeStampingCertificate("its key usage allows neither digitalSignature nor nonRepudiation")
        }
    }
}
