/// What a verified SSH signature says beyond "valid": its type and, for a FIDO key, the authenticator's flags and counter.
///
/// Only a signature that verified is described; the values are the signed ones, so a signer cannot change them
/// without breaking the signature.
public struct SSHSignatureDetails: Hashable, Sendable, Codable {
    /// The signature type, e.g. `ssh-ed25519`, `rsa-sha2-512`, `sk-ssh-ed25519@openssh.com` or
    /// `webauthn-sk-ecdsa-sha2-nistp256@openssh.com`.
    public let algorithm: String
    /// True when the key lives on a FIDO authenticator (an `sk-*` key).
    public let isHardwareBacked: Bool
    /// The authenticator's flags byte (0x01 user presence, 0x04 user verification, 0x80 extensions); nil for a software key.
    public let flags: UInt8?
    /// The authenticator's signature counter (0 when it keeps none); nil for a software key.
    public let counter: UInt32?
    /// The WebAuthn origin (e.g. `https://example.org`), for a `webauthn-sk-*` signature.
    public let webauthnOrigin: String?

    /// Bit 0x01 of the FIDO flags: the user touched the authenticator.
    public static let userPresentFlag: UInt8 = 0x01
    /// Bit 0x04 of the FIDO flags: the authenticator verified the user (PIN or biometric).
    public static let userVerifiedFlag: UInt8 = 0x04
    /// Bit 0x80 of the FIDO flags: extension data follows (WebAuthn).
    public static let extensionDataFlag: UInt8 = 0x80

    /// Describes a verified signature.
    public init(algorithm: String, isHardwareBacked: Bool, flags: UInt8?, counter: UInt32?, webauthnOrigin: String?) {
        self.algorithm = algorithm
        self.isHardwareBacked = isHardwareBacked
        self.flags = flags
        self.counter = counter
        self.webauthnOrigin = webauthnOrigin
    }

    /// True when the flags say the user was present (touched the key); false for a software key.
    public var userPresent: Bool { (flags ?? 0) & Self.userPresentFlag != 0 }
    /// True when the flags say the user was verified (PIN or biometric); false for a software key.
    public var userVerified: Bool { (flags ?? 0) & Self.userVerifiedFlag != 0 }
}
