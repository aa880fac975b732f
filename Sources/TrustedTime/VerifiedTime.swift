import Foundation
import SwiftASN1
import X509

/// What a verified token proves: the data with the imprint existed at `genTime`, by the word of the TSA named.
public struct VerifiedTime: Sendable, Hashable {
    /// The time of the stamp.
    public var genTime: Date
    /// The accuracy the TSA claims, when given.
    public var accuracy: TimeStampAccuracy?
    /// The certificate that signed the token.
    public var tsaCertificate: Certificate
    /// The TSA certificate's subject (untrusted text: escape it where it is printed).
    public var tsaSubject: String
    /// The trusted certificate the chain ends in (the TSA certificate itself when it is listed).
    public var authority: Certificate
    /// The TSA's serial number of the token, in lowercase hex.
    public var serialNumber: String
    /// The TSA policy, dotted.
    public var policy: String
}
