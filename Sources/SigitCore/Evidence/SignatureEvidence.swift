import Foundation
import SSHSig

/// What an event's good signature shows about how it was made (spec section 7): whether the key is hardware-backed
/// and, for a FIDO (`sk-*`) key, the signature type, the authenticator's flags and counter, and the WebAuthn origin.
///
/// The values come from the verified signature, so a signer cannot change them without breaking it. The key's own
/// type stays beside this in `keyType`.
public struct SignatureEvidence: Codable, Sendable, Equatable {
    /// True when the key lives on a FIDO authenticator (an `sk-*` key).
    public var hardware: Bool
    /// The signature type of a FIDO signature, e.g. `sk-ssh-ed25519@openssh.com` or
    /// `webauthn-sk-ecdsa-sha2-nistp256@openssh.com`; nil for a software key.
    public var type: String?
    /// The authenticator's flags byte as signed (0x01 user presence, 0x04 user verification, 0x80 extensions).
    public var flags: Int?
    /// Flag 0x01: the user touched the authenticator.
    public var userPresence: Bool?
    /// Flag 0x04: the authenticator verified the user (PIN or biometric).
    public var userVerification: Bool?
    /// The authenticator's signature counter (0: it keeps none).
    public var counter: UInt32?
    /// The WebAuthn origin the browser reported (chosen by the signer's browser: untrusted text).
    public var origin: String?

    /// The evidence of a good signature by a key of type `keyType`; `details` are those kept for a FIDO signature.
    init(keyType: String, details: SSHSignatureDetails?) {
        guard let details, details.isHardwareBacked else {
            self.init(hardware: keyType.hasPrefix("sk-"), type: nil, flags: nil, userPresence: nil, userVerification: nil, counter: nil, origin: nil)
            return
        }
        self.init(hardware: true, type: details.algorithm, flags: details.flags.map(Int.init), userPresence: details.userPresent,
                  userVerification: details.userVerified, counter: details.counter, origin: details.webauthnOrigin)
    }

    /// Builds the evidence from its fields (decoding, tests).
    public init(hardware: Bool, type: String?, flags: Int?, userPresence: Bool?, userVerification: Bool?, counter: UInt32?, origin: String?) {
        self.hardware = hardware
        self.type = type
        self.flags = flags
        self.userPresence = userPresence
        self.userVerification = userVerification
        self.counter = counter
        self.origin = origin
    }

    /// The flags as words: `UP`, `UV`, or `no-UP` when neither user presence nor verification is asserted; empty
    /// for a software key.
    public var flagWords: [String] {
        guard flags != nil else { return [] }
        let words = (userPresence == true ? ["UP"] : []) + (userVerification == true ? ["UV"] : [])
        return words.isEmpty ? ["no-UP"] : words
    }

    /// One short line for a table or a log line, without the origin: `ed25519`, or for a FIDO signature e.g.
    /// `sk-ed25519 hw UP UV #42` (`hw` hardware-backed, the flags, `#` the counter). `keyType` is the key's type.
    public func summary(keyType: String) -> String {
        var parts = [Self.shortName(type ?? keyType)]
        if hardware { parts.append("hw") }
        parts += flagWords
        if let counter { parts.append("#\(counter)") }
        return parts.joined(separator: " ")
    }

    /// The same facts in words, for a certificate: `sk-ssh-ed25519@openssh.com, hardware-backed, flags 0x05 (UP UV),
    /// counter 42`, or `ssh-ed25519, software key`; without the origin.
    public func description(keyType: String) -> String {
        var parts = [type ?? keyType, hardware ? "hardware-backed" : "software key"]
        if let flags { parts.append("flags 0x" + String(format: "%02x", flags) + " (\(flagWords.joined(separator: " ")))") }
        if let counter { parts.append("counter \(counter)") }
        return parts.joined(separator: ", ")
    }

    /// A key or signature type without OpenSSH's decoration: `ssh-ed25519` → `ed25519`,
    /// `sk-ssh-ed25519@openssh.com` → `sk-ed25519`, `ecdsa-sha2-nistp256` → `ecdsa-p256`,
    /// `webauthn-sk-ecdsa-sha2-nistp256@openssh.com` → `webauthn-sk-ecdsa-p256`, `ssh-rsa` → `rsa`.
    public static func shortName(_ type: String) -> String {
        var name = type
        if name.hasSuffix("@openssh.com") { name = String(name.dropLast("@openssh.com".count)) }
        return name.replacingOccurrences(of: "ssh-", with: "").replacingOccurrences(of: "ecdsa-sha2-nist", with: "ecdsa-")
    }
}
