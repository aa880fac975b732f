import Delivery
import Foundation

extension Workspace {
    /// Sends the invitation's link to the invitee over each channel (the mail says what the link is for, who asks
    /// and when it expires). Returns the channel types that delivered and the errors of those that did not. The
    /// link is the secret: nothing about it is recorded in the repository.
    public func deliverInvitation(_ invited: Invited, link: String, channels: [NotifyChannel]) throws -> (delivered: [String], failed: [String]) {
        let (_, result) = try state()
        guard let policy = result.state.policy else { throw SigitError.repository("no policy in force") }
        let me = try identity(of: try signer(), in: policy)
        let from = try sender(default: me)
        let notice = Self.invitationNotice(invited, link: link, inviter: me, from: from)
        var delivered: [String] = []
        var failed: [String] = []
        for channel in channels {
            do {
                try channel.channel.deliver(notice)
                delivered.append(channel.type)
            } catch {
                failed.append("\(channel.type): \(error)")
            }
        }
        return (delivered, failed)
    }

    /// The invitation mail: plain text, every repository string as text (a mail body is not rendered as HTML).
    static func invitationNotice(_ invited: Invited, link: String, inviter: Identity, from: MailAddress) -> Notice {
        let invitation = invited.invitation
        let what = invited.title.map { "\"\(TerminalText.safe($0))\" (\(invitation.agreement))" } ?? invitation.agreement
        let step = invitation.step.map { " at step \($0)" } ?? ""
        let body = """
        Hello \(TerminalText.safe(invited.invitee.name)),

        \(TerminalText.safe(inviter.name)) asks you to review and sign \(what)\(step).

        Open this link in a browser to read the agreement and sign it with a passkey
        (your phone, laptop or security key; no account or software to install):

        \(link)

        The first visit creates your passkey. The link is for you alone: whoever opens it
        first can create that passkey, and it stops working for that once it has been used.
        It expires at \(RFC3339.format(invitation.expires)) if no passkey was created by then.

        Your approval or decline is recorded as a commit signed by your passkey, which anyone
        with the repository can verify with stock git.
        """
        let host = from.email.split(separator: "@").last.map(String.init) ?? "sigit.invalid"
        return Notice(from: from, to: [MailAddress(name: invited.invitee.name, email: invited.invitee.email)],
                      subject: "\(TerminalText.safe(inviter.name)) asks you to sign \(invited.title.map(TerminalText.safe) ?? invitation.agreement)",
                      body: body, messageID: "<sigit.\(invitation.agreement).invite.\(invited.invitee.id).\(invitation.secretSHA256.prefix(12))@\(host)>",
                      date: Date(), event: "recipient.invitation",
                      data: ["agreement": invitation.agreement, "identity": invited.invitee.id, "expires": RFC3339.format(invitation.expires), "link": link])
    }
}
