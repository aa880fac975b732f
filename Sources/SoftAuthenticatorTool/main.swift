// sigit-soft-authenticator: a FIDO authenticator in software, for the demo (scripts/demo.sh) only.
//
// It stands in for a hardware security key where there is none. `keygen -f PATH [-C COMMENT]` writes an OpenSSH
// `sk-ssh-ed25519@openssh.com` key file (PATH, PATH.pub) whose key handle is the authenticator's secret, as the key
// handle of a real U2F key wraps its secret. Run under the name `ssh-keygen`, it implements exactly the call sigit
// makes to sign with a FIDO key file (`ssh-keygen -Y sign -n NAMESPACE -f KEY FILE`, writing FILE.sig) and signs as an
// authenticator that verified its user would: flags user presence and user verification (0x05, or the number in
// SIGIT_SOFT_AUTHENTICATOR_FLAGS), a counter kept in KEY.counter that rises by one per signature. No touch and no PIN
// happen: it proves nothing about a person, and is never a substitute for a hardware key outside a demonstration.
import Foundation
import TestSupport

let magic = Array("openssh-key-v1".utf8) + [0]
let keyType = "sk-ssh-ed25519@openssh.com"
let application = "ssh:"

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("sigit-soft-authenticator: \(message)\n".utf8))
    exit(2)
}

func value(after flag: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: flag), arguments.indices.contains(index + 1) else { return nil }
    return arguments[index + 1]
}

/// Writes an unencrypted openssh-key-v1 file holding one sk-ed25519 key whose key handle is `seed`.
func keygen(path: String, comment: String) throws {
    let seed = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
    let authenticator = try SoftwareAuthenticator(kind: .ed25519, application: application, seed: seed)
    var reader = WireReader(bytes: [UInt8](authenticator.publicKeyBlob))
    _ = reader.string()
    guard let publicKey = reader.string() else { fail("cannot read the public key") }
    let check = UInt32.random(in: 0...UInt32.max)
    var section = Wire()
    section.uint32(check)
    section.uint32(check)
    section.string(keyType)
    section.string(publicKey)
    section.string(application)
    section.byte(0x05)  // user presence and user verification required
    section.string([UInt8](seed))  // the key handle: the secret of this software authenticator
    section.string([UInt8]())  // reserved
    section.string(comment)
    var pad: UInt8 = 1
    while section.bytes.count % 8 != 0 { section.byte(pad); pad += 1 }
    var file = Wire()
    file.raw(magic)
    file.string("none")
    file.string("none")
    file.string([UInt8]())
    file.uint32(1)
    file.string([UInt8](authenticator.publicKeyBlob))
    file.string(section.bytes)
    let base64 = Array(Data(file.bytes).base64EncodedString())
    let lines = stride(from: 0, to: base64.count, by: 70).map { String(base64[$0..<min($0 + 70, base64.count)]) }
    let text = (["-----BEGIN OPENSSH PRIVATE KEY-----"] + lines + ["-----END OPENSSH PRIVATE KEY-----"]).joined(separator: "\n") + "\n"
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    try (authenticator.publicKeyLine + " \(comment)\n").write(toFile: path + ".pub", atomically: true, encoding: .utf8)
}

/// The authenticator of the key file at `path`: its key handle is the seed.
func authenticator(keyFile path: String) throws -> SoftwareAuthenticator {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(path)") }
    let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
    guard let data = Data(base64Encoded: body) else { fail("\(path) is not an OpenSSH private key file") }
    var reader = WireReader(bytes: [UInt8](data))
    guard reader.take(magic.count) == magic, reader.string() == Array("none".utf8), reader.string() == Array("none".utf8),
          reader.string() != nil, reader.uint32() == 1, reader.string() != nil, let section = reader.string() else {
        fail("\(path) is not an unencrypted OpenSSH private key file")
    }
    var inner = WireReader(bytes: section)
    guard inner.uint32() != nil, inner.uint32() != nil, inner.string() == Array(keyType.utf8), inner.string() != nil,
          let app = inner.string(), inner.take(1) != nil, let handle = inner.string(), handle.count == 32 else {
        fail("\(path) is not a key of this software authenticator")
    }
    return try SoftwareAuthenticator(kind: .ed25519, application: String(decoding: app, as: UTF8.self), seed: Data(handle))
}

/// `ssh-keygen -Y sign -n NAMESPACE -f KEY FILE`: writes FILE.sig.
func sign(_ arguments: [String]) throws {
    guard arguments.count == 7, arguments[0] == "-Y", arguments[1] == "sign", let namespace = value(after: "-n", in: arguments),
          let key = value(after: "-f", in: arguments), let file = arguments.last else {
        fail("this stand-in implements only ssh-keygen -Y sign -n NAMESPACE -f KEY FILE")
    }
    let authenticator = try authenticator(keyFile: key)
    guard let message = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
    let counterFile = key + ".counter"
    let counter = (try? String(contentsOfFile: counterFile, encoding: .utf8)).flatMap { UInt32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.map { $0 + 1 } ?? 1
    try String(counter).write(toFile: counterFile, atomically: true, encoding: .utf8)
    // The flags of an authenticator that verified its user; SIGIT_SOFT_AUTHENTICATOR_FLAGS (a number) sets others,
    // so the tests can make an authenticator that only asks for a touch.
    let flags = ProcessInfo.processInfo.environment["SIGIT_SOFT_AUTHENTICATOR_FLAGS"].flatMap { UInt8($0) }
        ?? SoftwareAuthenticator.userPresent | SoftwareAuthenticator.userVerified
    let armored = try authenticator.armored(message, namespace: namespace, flags: flags, counter: counter)
    try armored.write(toFile: file + ".sig", atomically: true, encoding: .utf8)
    FileHandle.standardError.write(Data("Signed by the SOFTWARE authenticator standing in for a hardware key (flags \(flags), counter \(counter)); no touch or PIN happened\n".utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "keygen" {
        guard let path = value(after: "-f", in: arguments) else { fail("usage: sigit-soft-authenticator keygen -f PATH [-C COMMENT]") }
        try keygen(path: path, comment: value(after: "-C", in: arguments) ?? "software-authenticator")
    } else {
        try sign(arguments)
    }
} catch {
    fail("\(error)")
}
