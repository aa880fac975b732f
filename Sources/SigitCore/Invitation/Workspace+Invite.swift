import Foundation
import GitKit

extension Workspace {
    /// What `sigit invite` wrote: the event, the secret (shown to no one but the invitee's link) and whether the
    /// agreement already names the invitee.
    public struct Invited: Sendable {
        /// The invite event.
        public let written: Written
        /// The single-use secret; the repository holds only its SHA-256.
        public let secret: String
        /// The invitation as written.
        public let invitation: Invitation
        /// The invited identity as written.
        public let invitee: Identity
        /// The agreement's title, when it exists.
        public let title: String?
        /// Whether the agreement exists and names the invitee in a step (else it must, before it is sent).
        public let agreementNamesInvitee: Bool
    }

    /// `sigit invite ID --name NAME --email EMAIL [--display-name TEXT] [--step STEP] [--expires D]`: an admin's
    /// policy change (spec section 9) that adds the human identity NAME with no key and an invitation for agreement
    /// ID, holding the SHA-256 of a new single-use secret. Inviting again an identity that has no key yet replaces
    /// its invitation (the old link stops working); an identity with a key, or one that is not human, is refused.
    public func invite(agreement id: String, name: String, email: String, displayName: String?, step: String?, expires: Date) throws -> Invited {
        try Name.check(id, "agreement id")
        try Name.check(name, "identity name")
        if let step { try Name.check(step, "step name") }
        guard EmailAddress.isValid(email) else { throw SigitError.badInput("\(TerminalText.safe(email)) is not an email address like name@example.com") }
        if let displayName, displayName.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "<" || $0 == ">" }) {
            throw SigitError.badInput("the display name contains a control character or angle bracket")
        }
        let expiry = PolicyEditor.wholeSeconds(expires)
        guard expiry > Date() else { throw SigitError.badInput("the invitation would expire before it is sent; give a later --expires") }
        let secret = InvitationSecret.generate()
        var written: (Identity, Invitation, String?, Bool)?
        let result = try changePolicy(subject: "invite \(name) to sign \(id)", body: "", configure: { trailers in
            trailers.action = .invite
            trailers.agreement = id
            trailers.invitee = name
            trailers.step = step
        }) { policy, _, state in
            if let existing = policy.identities[name] {
                guard existing.keys.isEmpty else {
                    throw SigitError.notAllowed("\(name) already has a key; an invitation enrolls a first passkey only (rotate or remove the key with sigit identity key); nothing was written")
                }
                guard existing.kind == .human else { throw SigitError.notAllowed("\(name) is a \(existing.kind.rawValue) identity; only a human is invited; nothing was written") }
                if policy.allows(.admin, name) { throw SigitError.notAllowed("\(name) is an admin; an admin is not invited; nothing was written") }
            }
            var title: String?
            var names = false
            if let track = state.agreements[id], track.treeID != nil {
                let phase = track.phase(at: Date())
                guard !phase.isTerminal else { throw SigitError.notAllowed("agreement \(id) is \(phase.rawValue); nothing is left to sign; nothing was written") }
                if case .success(let spec) = track.spec {
                    title = spec.title
                    if let step, !spec.workflow.contains(where: { $0.name == step }) {
                        throw SigitError.badInput("agreement \(id) has no step \(step); its steps are \(spec.workflow.map(\.name).joined(separator: ", ")); nothing was written")
                    }
                    names = spec.workflow.contains { s in (step == nil || s.name == step) && s.approvers.contains(.identity(name)) }
                }
            }
            let invitation = Invitation(agreement: id, step: step, expires: expiry, secretSHA256: InvitationSecret.sha256Hex(secret),
                                        proofKey: try InvitationSecret.proofKey(secret))
            let identity = Identity(id: name, name: displayName ?? policy.identities[name]?.name ?? name, email: email, kind: .human, keys: [], invitation: invitation)
            policy.identities[name] = identity
            written = (identity, invitation, title, names)
        }
        guard let (identity, invitation, title, names) = written else { throw SigitError.repository("the invitation was not written") }
        return Invited(written: result, secret: secret, invitation: invitation, invitee: identity, title: title, agreementNamesInvitee: names)
    }

    /// The link of an invitation: `<origin>/i/<secret>`.
    public static func invitationLink(origin: String, secret: String) -> String {
        var base = origin
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/i/" + secret
    }
}
