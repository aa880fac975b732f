/// The body of `POST /i/{secret}/decide`: approve or decline the agreement at the digest the page showed.
struct DecideRequest: Decodable, Sendable {
    /// True to approve, false to decline.
    let approve: Bool
    /// Why (a decline's reason), at most `SigningResponder.maxReason` characters.
    let reason: String?
    /// The content digest the page showed (`sha256:...`).
    let digest: String
}
