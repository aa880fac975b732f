import Foundation
import Crypto
import SwiftASN1

/// A hash algorithm named in a token: the imprint's, the signer's, or an ESSCertID's.
public enum DigestAlgorithm: String, Sendable, Hashable {
    /// SHA-1, allowed only for ESSCertID (certificate identification, RFC 2634).
    case sha1 = "SHA-1"
    /// SHA-256.
    case sha256 = "SHA-256"
    /// SHA-384.
    case sha384 = "SHA-384"
    /// SHA-512.
    case sha512 = "SHA-512"

    /// The algorithm for `oid`, or nil for one this library does not know.
    init?(oid: ASN1ObjectIdentifier) {
        switch oid {
        case .tsSHA1: self = .sha1
        case .tsSHA256: self = .sha256
        case .tsSHA384: self = .sha384
        case .tsSHA512: self = .sha512
        default: return nil
        }
    }

    /// The object identifier.
    var oid: ASN1ObjectIdentifier {
        switch self {
        case .sha1: return .tsSHA1
        case .sha256: return .tsSHA256
        case .sha384: return .tsSHA384
        case .sha512: return .tsSHA512
        }
    }

    /// The hash of `bytes`.
    func hash<Bytes: DataProtocol>(_ bytes: Bytes) -> [UInt8] {
        switch self {
        case .sha1: return Array(Insecure.SHA1.hash(data: bytes))
        case .sha256: return Array(SHA256.hash(data: bytes))
        case .sha384: return Array(SHA384.hash(data: bytes))
        case .sha512: return Array(SHA512.hash(data: bytes))
        }
    }
}
