import SSHSig

/// What a step asks of the signature of an approve or decline (spec section 7): a FIDO key, a touch, a verified user.
public struct Assurance: Sendable, Hashable, Codable {
    /// The key must be a FIDO authenticator's (`sk-*`) key.
    public var hardware: Bool
    /// The signature's flags must have user presence (0x01) set.
    public var userPresence: Bool
    /// The signature's flags must have user verification (0x04) set.
    public var userVerification: Bool

    /// JSON keys as `agreement.yml` spells them.
    enum CodingKeys: String, CodingKey {
        case hardware
        case userPresence = "user-presence"
        case userVerification = "user-verification"
    }

    /// The default: nothing asked.
    public static let none = Assurance(hardware: false, userPresence: false, userVerification: false)

    /// An assurance with the given fields.
    public init(hardware: Bool, userPresence: Bool, userVerification: Bool) {
        self.hardware = hardware
        self.userPresence = userPresence
        self.userVerification = userVerification
    }

    /// True when nothing is asked.
    public var isEmpty: Bool { self == .none }

    /// The fields asked for, as the YAML names them: `hardware`, `user-presence`, `user-verification`.
    public var names: [String] {
        [(hardware, "hardware"), (userPresence, "user-presence"), (userVerification, "user-verification")].filter(\.0).map(\.1)
    }

    /// `{hardware: true, user-verification: true}`: the fields asked for as a step writes them.
    public var text: String { "{" + names.map { "\($0): true" }.joined(separator: ", ") + "}" }

    /// What a signature with `details` (nil: a software key) lacks of this assurance, as YAML names; empty when it meets it.
    public func shortfall(_ details: SSHSignatureDetails?) -> [String] {
        var missing: [String] = []
        if hardware, details?.isHardwareBacked != true { missing.append("hardware") }
        if userPresence, details?.userPresent != true { missing.append("user-presence") }
        if userVerification, details?.userVerified != true { missing.append("user-verification") }
        return missing
    }
}
