import Crypto
import Foundation
import GitKit
@testable import SigitCore
import SSHSig

/// What the reference model reads of one commit, straight from the object database (no ledger code).
struct ModelFacts {
    let id: ObjectID
    let parents: [ObjectID]
    let tree: ObjectID
    let time: Int64
    let message: String
    /// Cryptographic answer; `.unsigned` for no gpgsig.
    let signature: SignatureCheck
    /// What a good signature says (SSHSig's own reading): its type and, for a FIDO key, the signed flags and counter.
    let details: SSHSignatureDetails?
    /// Whether the gpgsig header is exactly the armor ssh-keygen writes (true when unsigned: nothing to judge).
    let canonicalArmor: Bool
    /// Spec 2, event identity: SHA-256 of the signed payload (of the commit bytes when unsigned).
    let eventID: Data
    /// Trailers as sigit reads them, or why they are malformed.
    let trailers: Result<EventTrailers?, TrailerProblem>

    static func read(_ repo: Repository, _ id: ObjectID) throws -> ModelFacts {
        let info = try repo.commit(id)
        let signed = try repo.signedPayload(of: id)
        var signature = SignatureCheck.unsigned
        var details: SSHSignatureDetails?
        var canonical = true
        var eventID = Data(SHA256.hash(data: Data(id.hex.utf8)))
        if let signed {
            signature = SignatureCheck.check(armored: signed.signature, payload: signed.payload)
            eventID = Data(SHA256.hash(data: signed.payload))
            canonical = Self.isCanonical(signed.signature)
            if signature.key != nil { details = try? SSHSignature(armored: signed.signature).verifyDetails(signed.payload, namespace: "git") }
        }
        let trailers: Result<EventTrailers?, TrailerProblem>
        do {
            trailers = .success(try EventTrailers.parse(message: info.message))
        } catch let problem as TrailerProblem {
            trailers = .failure(problem)
        } catch {
            trailers = .failure(TrailerProblem("unreadable trailers"))
        }
        return ModelFacts(id: id, parents: info.parents, tree: info.tree, time: info.committer.time, message: info.message,
                          signature: signature, details: details, canonicalArmor: canonical, eventID: eventID, trailers: trailers)
    }

    /// Spec 2: exactly `-----BEGIN SSH SIGNATURE-----`, base64 in lines of 70, the end line, nothing else.
    static func isCanonical(_ armor: String) -> Bool {
        guard let parsed = try? SSHSignature(armored: armor) else { return false }
        var text = armor
        while text.hasSuffix("\n") { text.removeLast() }
        var expected = parsed.armored
        while expected.hasSuffix("\n") { expected.removeLast() }
        return Array(text.utf8) == Array(expected.utf8)
    }
}

