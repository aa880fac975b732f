import Foundation
import FuzzSupport
import SSHSig

/// Feeds one input to every SSHSig parser: SSHSIG blob and armor, public key blob and line,
/// private key file; and verifies it as a signature, both when it parses as an SSHSIG and as an
/// inner signature blob against fixed keys of each supported type, FIDO keys (sk-ssh-ed25519,
/// sk-ecdsa, whose signatures may be webauthn-sk) included, asking for the details too. Nothing may trap.
@main
enum FuzzSSHSig {
    static func main() { FuzzDriver.main(fuzzSSHSig) }
}

/// Fixed keys for checking arbitrary signature blobs (made once with ssh-keygen; the sk keys are OpenSSH's test keys).
let verifyKeys: [SSHPublicKey] = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINzXLFqEBbz4IBS6okv3L1o2VNc7gJR24/clnzZsf6cr",
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBELk6XmG02OVgiORvcNezF3fDcwDWKIBWaTlQqt0HfoOejakDEGLO7wiDJMiA09jXJePB5i4LCK4+eXwfD1+XFg=",
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDgYTndD5VWtM5++d7m6X5br/qrq/4sbMXUu1JQTtsEuxakwnYBCNAJzWZ0+HpG6DaZB5OiXAXhlEp+ioPIPt+po50wllEvOtx7RCn/PvSIrI+zFdmEhIhk1r5cNPnrpm5k51UfFMtVmLL7Nl3DJUG9eLVT2Caewzs/yP2UWJlP0Cze8jnSBXvxZojppbh+im18VyphHUxyct2dhgiFLL5H1wHLdL1N8FV27EyqtwSDFxYFMxvy9fF3fd+R+uIOX3ZD8U/Ij6rw040dVEFqrAcraRlFCMt0kFRCsYF4JLXcdbv8qH1reHyiPH/ZSDDqisaYaQ13r0Zn2Hfq+D7tKdUJ",
    "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIJsaDYXQYruc6bilCYDIK4YSOeG+zmrRO2M9t03//7LHAAAABHNzaDo=",
    "sk-ecdsa-sha2-nistp256@openssh.com AAAAInNrLWVjZHNhLXNoYTItbmlzdHAyNTZAb3BlbnNzaC5jb20AAAAIbmlzdHAyNTYAAABBBKDVa5jRcT5V7E6ysmwVi7HJWh7p5D+hebLPakQcpnD2ajJZ6G/4WzuhlYWnclWY63JspDp299Rlhq5AT86/g8AAAAAEc3NoOg==",
    "sk-ecdsa-sha2-nistp256@openssh.com AAAAInNrLWVjZHNhLXNoYTItbmlzdHAyNTZAb3BlbnNzaC5jb20AAAAIbmlzdHAyNTYAAABBBBRGwDjs4HhJFcn4tJ5Gr72KcmRmCS1OirETxaXvnsNApgoOLF1a/7rxldfSMHm73eT1nhHe97W8qicPPEAKDJQAAAALbWluZHJvdC5vcmc=",
].compactMap { try? SSHPublicKey(openSSH: $0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSHSig(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = Data(UnsafeBufferPointer(start: start, count: count))
    let text = String(decoding: data, as: UTF8.self)
    let message = Data("fuzz message\n".utf8)
    if let signature = try? SSHSignature(blob: data) {
        _ = signature.verify(message, namespace: signature.namespace)
        _ = try? signature.verifyDetails(message, namespace: signature.namespace)
        _ = signature.armored
    }
    if let signature = try? SSHSignature(armored: text) {
        _ = signature.verify(message)
        _ = signature.publicKey.fingerprint
    }
    if let key = try? SSHPublicKey(blob: data) {
        _ = key.application
        _ = key.isHardwareBacked
    }
    if let key = try? SSHPublicKey(openSSH: text) {
        _ = key.description
        _ = key.fingerprint
    }
    _ = try? SSHPrivateKey(openSSH: text)
    for key in verifyKeys {
        _ = key.isValidSignature(data, for: message)
        _ = try? key.verifySignature(data, for: message)
    }
    return 0
}
