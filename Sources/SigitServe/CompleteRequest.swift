/// The body of `POST /i/{secret}/complete`: the browser's WebAuthn assertion over a prepared event's challenge.
struct CompleteRequest: Decodable, Sendable {
    /// The id `enroll` or `decide` answered.
    let id: String
    /// `response.authenticatorData`, base64url.
    let authenticatorData: String
    /// `response.clientDataJSON`, base64url.
    let clientDataJSON: String
    /// `response.signature` (DER ECDSA), base64url.
    let signature: String
}
