import Crypto
import _CryptoExtras
import SwiftASN1
import X509

/// How a SignerInfo's signature is checked: the key type, padding and digest.
enum SignatureScheme: Sendable, Hashable {
    /// RSA with PKCS #1 v1.5 padding.
    case rsaPKCS1(DigestAlgorithm)
    /// RSA-PSS with MGF1 over the same digest and a salt as long as the digest.
    case rsaPSS(DigestAlgorithm)
    /// ECDSA over P-256, P-384 or P-521.
    case ecdsa(DigestAlgorithm)

    /// The scheme of a SignerInfo from its signatureAlgorithm and digestAlgorithm (RFC 5652 5.3).
    ///
    /// OpenSSL writes `rsaEncryption` (and some signers `id-ecPublicKey`) with the digest named
    /// in digestAlgorithm; a combined algorithm must name the same digest.
    init(signatureAlgorithm: AlgorithmID, digest: DigestAlgorithm) throws {
        guard digest != .sha1 else { throw TrustedTimeError.unsupported("a signature over SHA-1") }
        func same(_ named: DigestAlgorithm) throws -> DigestAlgorithm {
            guard named == digest else {
                throw TrustedTimeError.malformed("the signature algorithm's digest differs from the signer's digest algorithm")
            }
            return named
        }
        switch signatureAlgorithm.oid {
        case .tsRSAEncryption: self = .rsaPKCS1(digest)
        case .tsSHA256WithRSA: self = .rsaPKCS1(try same(.sha256))
        case .tsSHA384WithRSA: self = .rsaPKCS1(try same(.sha384))
        case .tsSHA512WithRSA: self = .rsaPKCS1(try same(.sha512))
        case .tsECPublicKey: self = .ecdsa(digest)
        case .tsECDSAWithSHA256: self = .ecdsa(try same(.sha256))
        case .tsECDSAWithSHA384: self = .ecdsa(try same(.sha384))
        case .tsECDSAWithSHA512: self = .ecdsa(try same(.sha512))
        case .tsRSASSAPSS:
            guard let parameters = signatureAlgorithm.parameters else {
                throw TrustedTimeError.malformed("RSA-PSS without parameters")
            }
            self = .rsaPSS(try same(Self.pssDigest(parameters)))
        default:
            throw TrustedTimeError.unsupported("the signature algorithm \(signatureAlgorithm.oid)")
        }
    }

    /// The digest of RSASSA-PSS-params (RFC 4055 3.1) when MGF1 uses it too and the salt is as long
    /// as it: the only form this library (and swift-crypto) checks.
    private static func pssDigest(_ node: ASN1Node) throws -> DigestAlgorithm {
        var nodes = try DERReader.children(node, identifier: .sequence, "RSA-PSS parameters").makeIterator()
        var digest = DigestAlgorithm.sha1
        if let hash = DERReader.next(&nodes, if: ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)) {
            var inner = try DERReader.children(hash, identifier: hash.identifier, "the PSS hash").makeIterator()
            digest = try AlgorithmID(node: DERReader.required(&inner, "the PSS hash")).digest("the PSS hash")
        }
        var mgfDigest = DigestAlgorithm.sha1
        if let mgf = DERReader.next(&nodes, if: ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)) {
            var inner = try DERReader.children(mgf, identifier: mgf.identifier, "the PSS mask").makeIterator()
            let algorithm = try AlgorithmID(node: DERReader.required(&inner, "the PSS mask"))
            guard algorithm.oid == .tsMGF1, let parameters = algorithm.parameters else {
                throw TrustedTimeError.unsupported("a PSS mask other than MGF1")
            }
            mgfDigest = try AlgorithmID(node: parameters).digest("the MGF1 hash")
        }
        var saltLength = 20
        if let salt = DERReader.next(&nodes, if: ASN1Identifier(tagWithNumber: 2, tagClass: .contextSpecific)) {
            var inner = try DERReader.children(salt, identifier: salt.identifier, "the PSS salt length").makeIterator()
            saltLength = try Int(derEncoded: DERReader.required(&inner, "the PSS salt length"))
        }
        if let trailer = DERReader.next(&nodes, if: ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific)) {
            var inner = try DERReader.children(trailer, identifier: trailer.identifier, "the PSS trailer").makeIterator()
            guard try Int(derEncoded: DERReader.required(&inner, "the PSS trailer")) == 1 else {
                throw TrustedTimeError.unsupported("a PSS trailer other than 1")
            }
        }
        guard nodes.next() == nil else { throw TrustedTimeError.malformed("RSA-PSS parameters have extra fields") }
        guard mgfDigest == digest, saltLength == digest.hash([UInt8]()).count, digest != .sha1 else {
            throw TrustedTimeError.unsupported("RSA-PSS parameters other than MGF1 with the same hash and a salt of the hash's length")
        }
        return digest
    }

    /// The digest algorithm signed over.
    var digest: DigestAlgorithm {
        switch self {
        case .rsaPKCS1(let digest), .rsaPSS(let digest), .ecdsa(let digest): return digest
        }
    }

    /// True when `signature` is `key`'s signature of `message` under this scheme; false for a key of another type.
    func isValid(signature: [UInt8], message: [UInt8], key: Certificate.PublicKey) -> Bool {
        switch self {
        case .rsaPKCS1(let digest), .rsaPSS(let digest):
            guard let rsa = _RSA.Signing.PublicKey(key) else { return false }
            let padding: _RSA.Signing.Padding
            if case .rsaPSS = self { padding = .PSS } else { padding = .insecurePKCS1v1_5 }
            let signature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            switch digest {
            case .sha256: return rsa.isValidSignature(signature, for: SHA256.hash(data: message), padding: padding)
            case .sha384: return rsa.isValidSignature(signature, for: SHA384.hash(data: message), padding: padding)
            case .sha512: return rsa.isValidSignature(signature, for: SHA512.hash(data: message), padding: padding)
            case .sha1: return false
            }
        case .ecdsa(let digest):
            if let p256 = P256.Signing.PublicKey(key) {
                guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
                return Self.digested(digest, message) { p256.isValidSignature(signature, for: $0) }
            }
            if let p384 = P384.Signing.PublicKey(key) {
                guard let signature = try? P384.Signing.ECDSASignature(derRepresentation: signature) else { return false }
                return Self.digested(digest, message) { p384.isValidSignature(signature, for: $0) }
            }
            if let p521 = P521.Signing.PublicKey(key) {
                guard let signature = try? P521.Signing.ECDSASignature(derRepresentation: signature) else { return false }
                return Self.digested(digest, message) { p521.isValidSignature(signature, for: $0) }
            }
            return false
        }
    }

    /// Calls `check` with the typed digest of `message`.
    private static func digested(_ digest: DigestAlgorithm, _ message: [UInt8], _ check: (any Digest) -> Bool) -> Bool {
        switch digest {
        case .sha256: return check(SHA256.hash(data: message))
        case .sha384: return check(SHA384.hash(data: message))
        case .sha512: return check(SHA512.hash(data: message))
        case .sha1: return false
        }
    }
}
