/// The body of `POST /i/{secret}/enroll`: the new passkey's public key as `getPublicKey()` gives it.
struct EnrollRequest: Decodable, Sendable {
    /// SubjectPublicKeyInfo DER, base64url.
    let spki: String
}
