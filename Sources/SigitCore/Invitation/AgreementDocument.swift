import Foundation

/// One file of an agreement at the content digest an approval would carry, as the signing page shows it.
public struct AgreementDocument: Sendable, Equatable {
    /// Path relative to the agreement's folder (`nda.md`, `agreement.yml`).
    public let path: String
    /// The file's bytes (untrusted: escaped wherever rendered).
    public let data: Data
    /// Lowercase hex SHA-256 of `data`.
    public let sha256: String

    /// A document.
    public init(path: String, data: Data, sha256: String) {
        self.path = path
        self.data = data
        self.sha256 = sha256
    }
}
