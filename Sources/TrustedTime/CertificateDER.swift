import Foundation
import SwiftASN1
import X509

/// Certificates as sigit stores them (DER bytes), read from and written to PEM.
public enum CertificateDER {
    /// The DER of the one certificate in `pem`.
    public static func fromPEM(_ pem: String) throws -> Data {
        let certificate = try Certificate(pemEncoded: pem)
        var coder = DER.Serializer()
        try coder.serialize(certificate)
        return Data(coder.serializedBytes)
    }

    /// The certificate `der` encodes.
    public static func certificate(_ der: Data) throws -> Certificate {
        try Certificate(derEncoded: Array(der))
    }

    /// PEM text of `der` (base64 in lines of 64 characters, as openssl writes it).
    public static func pem(_ der: Data) -> String {
        let body = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----\n"
    }
}
