import Foundation
import SigitCore

/// The HTML of the signing page and of the server's plain pages. Every string from the repository goes through
/// `HTMLText.escape` (documents through `MarkdownHTML` or an escaped `<pre>`); the page has no inline script or
/// style (the CSP forbids both): its data for sign.js sits in `data-*` attributes and a `<meta>`.
enum SigningPage {
    /// The signing page of `view` for the link holder of `secret` (used only in the page's own links).
    static func render(_ view: InvitationView, secret: String, csrf: String, origin: String, relyingParty: String) -> String {
        let base = "/i/" + secret
        let invitee = view.invitee
        let invitation = view.invitation
        let title = view.agreement?.title ?? invitation.agreement
        let digest = view.agreement?.digest ?? ""
        var html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <meta name="sigit-csrf" content="\(HTMLText.escape(csrf))">
            <title>\(HTMLText.escape(title)) - sigit</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="/static/sign.css">
            <script src="/static/sign.js" defer></script>
            </head>
            <body data-rp-id="\(HTMLText.escape(relyingParty))" data-origin="\(HTMLText.escape(origin))" data-digest="\(HTMLText.escape(digest))" data-email="\(HTMLText.escape(invitee.email))" data-name="\(HTMLText.escape(invitee.name))">
            <main>
            <header>
            <p class="kicker">Agreement <code>\(HTMLText.escape(invitation.agreement))</code></p>
            <h1 id="title">\(HTMLText.escape(title))</h1>
            </header>

            """
        html += invitationSection(view)
        html += """
            <section id="digest-section">
            <h2>What you sign</h2>
            <p>Your signature covers the agreement's content at exactly this digest; the documents below are shown at it.</p>
            <p id="digest" class="digest"><code>\(HTMLText.escape(digest.isEmpty ? "(the agreement has no content yet)" : digest))</code></p>
            </section>

            """
        html += actionsSection(view)
        html += stepsSection(view)
        html += documentsSection(view, base: base)
        html += """
            <footer><p>Signed with a passkey: each action is a git commit carrying your passkey's signature, which anyone can check with stock git. Nothing here can act for you without your passkey.</p></footer>
            </main>
            </body>
            </html>

            """
        return html
    }

    static func invitationSection(_ view: InvitationView) -> String {
        let invitee = view.invitee
        let invitation = view.invitation
        var rows: [(String, String)] = [
            ("Invited", HTMLText.escape("\(invitee.name) <\(invitee.email)> (identity \(invitee.id))")),
            ("Invited by", HTMLText.escape(view.invitedBy ?? "unknown")),
        ]
        if let sentBy = view.sentBy { rows.append(("Sent for signature by", HTMLText.escape(sentBy))) }
        var scope = "signing agreement \(invitation.agreement)"
        if let step = invitation.step { scope += ", step \(step)" }
        rows.append(("For", HTMLText.escape(scope)))
        rows.append(("Expires", HTMLText.escape(timestamp(invitation.expires))))
        if let enrolled = invitation.enrolled { rows.append(("Passkey enrolled", HTMLText.escape(timestamp(enrolled)))) }
        rows.append(("Agreement state", "<span id=\"agreement-state\">\(HTMLText.escape(view.agreement?.state ?? "not drafted yet"))</span>"))
        if let reason = view.agreement?.reason { rows.append(("Reason", HTMLText.lines(reason))) }
        if let deadline = view.agreement?.deadline { rows.append(("Deadline", HTMLText.escape(deadline))) }
        let body = rows.map { "<tr><th scope=\"row\">\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n")
        return "<section id=\"invitation\">\n<h2>Invitation</h2>\n<table class=\"facts\">\n\(body)\n</table>\n</section>\n\n"
    }

    static func actionsSection(_ view: InvitationView) -> String {
        var html = "<section id=\"actions\">\n<h2>Your action</h2>\n"
        switch view.enrollment {
        case .allowed:
            html += """
                <p>First create a passkey for this invitation: it becomes your signing key for this agreement.</p>
                <p><button type="button" id="create-passkey">Create a passkey</button></p>

                """
        case .refused(let reason):
            if let enrolled = view.invitation.enrolled {
                // Whoever opens a used link learns that it was used, and what to do if that was not them.
                let inviter = view.invitedBy.map { " tell \(HTMLText.escape($0))" } ?? " tell whoever invited you"
                html += "<p class=\"note\" id=\"link-used\">A passkey was created with this link at \(HTMLText.escape(timestamp(enrolled))). This link cannot create another one. If that was not you,\(inviter) at once.</p>\n"
            } else {
                html += "<p class=\"refused\" id=\"enrollment-refused\">Enrollment: \(HTMLText.escape(reason))</p>\n"
            }
        }
        switch view.decision {
        case .allowed:
            let step = view.openStep.map { " (step <code>\(HTMLText.escape($0))</code>)" } ?? ""
            html += """
                <p>Sign the agreement at the digest above\(step) with your passkey.</p>
                <p><button type="button" id="approve">Approve</button></p>
                <p><label for="decline-reason">Reason for declining</label><br>
                <textarea id="decline-reason" maxlength="\(SigningResponder.maxReason)" rows="3" cols="60"></textarea></p>
                <p><button type="button" id="decline">Decline</button></p>

                """
        case .refused(let reason):
            if let (step, slot) = decidedSlot(view) {
                // After signing, the signer's own decision, not the rule that now stops a second one.
                let verb = slot.state == "approved" ? "approved" : "declined"
                let commit = slot.commit.map { " in commit <code>\(HTMLText.escape(String($0.prefix(12))))</code>" } ?? ""
                html += "<p class=\"done\" id=\"decided\">You \(verb) this agreement (step <code>\(HTMLText.escape(step))</code>)\(commit). Nothing more to do here.</p>\n"
            } else if !view.enrollment.isAllowed {
                // Before enrollment the paragraph above already says the passkey comes first.
                html += "<p class=\"refused\" id=\"decision-refused\">Signing: \(HTMLText.escape(reason))</p>\n"
            }
        }
        html += "<p id=\"message\" role=\"status\" aria-live=\"polite\"></p>\n</section>\n\n"
        return html
    }

    /// The invitee's approved or declined slot (the last one) and its step, when they decided.
    static func decidedSlot(_ view: InvitationView) -> (String, SlotStatus)? {
        guard let agreement = view.agreement else { return nil }
        for step in agreement.steps.reversed() {
            if let slot = step.slots.last(where: { $0.identity == view.invitee.id && ($0.state == "approved" || $0.state == "declined") }) {
                return (step.step, slot)
            }
        }
        return nil
    }

    static func stepsSection(_ view: InvitationView) -> String {
        var html = "<section id=\"steps\">\n<h2>Steps</h2>\n"
        guard let agreement = view.agreement, !agreement.steps.isEmpty else {
            return html + "<p>No steps yet.</p>\n</section>\n\n"
        }
        html += "<table class=\"steps\">\n<thead><tr><th>Step</th><th>State</th><th>Requires</th><th>Signers</th></tr></thead>\n<tbody>\n"
        for step in agreement.steps {
            let current = step.step == agreement.currentStep ? " class=\"current\"" : ""
            let slots = step.slots.map { slot -> String in
                var who = slot.identity ?? "(open)"
                if let delegate = slot.delegate { who += " (delegated to \(delegate))" }
                if let onBehalfOf = slot.onBehalfOf { who += " (on behalf of \(onBehalfOf))" }
                let commit = slot.commit.map { " <code>\(HTMLText.escape(String($0.prefix(12))))</code>" } ?? ""
                return "<li><span class=\"slot\">\(HTMLText.escape(slot.slot))</span>: \(HTMLText.escape(who)) <span class=\"state\">\(HTMLText.escape(slot.state))</span>\(commit)</li>"
            }.joined()
            html += "<tr\(current)><td>\(HTMLText.escape(step.step))</td><td>\(HTMLText.escape(step.state))</td><td>\(HTMLText.escape(step.require))</td><td><ul>\(slots)</ul></td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n\n"
    }

    static func documentsSection(_ view: InvitationView, base: String) -> String {
        var html = "<section id=\"documents\">\n<h2>Documents</h2>\n"
        if view.documents.isEmpty { html += "<p>No documents.</p>\n" }
        // The documents the agreement names, in its order, then the others (agreement.yml among them).
        let named = view.namedDocuments.compactMap { name in view.documents.first { $0.path == name } }
        let others = view.documents.filter { document in !view.namedDocuments.contains(document.path) }
        for (number, document) in (named + others).enumerated() {
            let link = base + "/doc/" + pathComponent(document.path)
            html += "<article class=\"document\" id=\"document-\(number + 1)\">\n"
            html += "<h3><code>\(HTMLText.escape(document.path))</code></h3>\n"
            html += "<p class=\"hash\">SHA-256 <code>\(HTMLText.escape(document.sha256))</code>, \(document.data.count) bytes</p>\n"
            switch DocumentKind(path: document.path, data: document.data) {
            case .markdown(let text):
                html += "<div class=\"markdown\">\n" + MarkdownHTML.render(text) + "</div>\n"
            case .pdf:
                html += "<iframe class=\"pdf\" title=\"\(HTMLText.escape(document.path))\" src=\"\(HTMLText.escape(link))\"></iframe>\n"
                html += "<p><a href=\"\(HTMLText.escape(link))\" rel=\"noreferrer\">Open the PDF</a></p>\n"
            case .text(let text):
                html += "<pre class=\"text\">" + preformatted(text) + "</pre>\n"
            case .binary:
                html += "<p><a href=\"\(HTMLText.escape(link))\" rel=\"noreferrer\" download>Download</a> (check its SHA-256 above after downloading)</p>\n"
            }
            html += "</article>\n"
        }
        return html + "</section>\n\n"
    }

    /// Untrusted text for a `<pre>`: each line escaped (control characters shown), tabs as spaces, newlines kept.
    static func preformatted(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\t", with: "    ")
            .split(separator: "\n", omittingEmptySubsequences: false).map { HTMLText.escape(String($0)) }.joined(separator: "\n")
    }

    /// A document path in a URL path: each segment percent-encoded (the slashes kept).
    static func pathComponent(_ path: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }.joined(separator: "/")
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// A plain page (not found, an error) with one escaped line.
    static func plain(title: String, message: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="referrer" content="no-referrer">
        <title>\(HTMLText.escape(title)) - sigit</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/static/sign.css">
        </head>
        <body>
        <main>
        <h1>\(HTMLText.escape(title))</h1>
        <p id="message">\(HTMLText.escape(message))</p>
        </main>
        </body>
        </html>

        """
    }
}
