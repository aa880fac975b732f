/// Renders a certificate as one self-contained HTML page (no scripts, no external resources) that prints cleanly.
/// Every string from the repository goes through `HTMLText`.
public enum CertificateHTML {
    /// The page.
    public static func render(_ c: Certificate) -> String {
        let e = HTMLText.escape
        let heading = c.interim ? "Interim certificate: not completed" : "Certificate of Completion"
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>\(e(heading)): \(e(c.agreement.id))</title>
        <style>\(style)\(c.interim ? interimStyle : "")</style>
        </head>
        <body>

        """
        if c.interim {
            html += "<div class=\"watermark\">INTERIM</div>\n"
            html += "<div class=\"interim\">INTERIM: agreement \(e(c.agreement.id)) is \(e(c.agreement.state)), not completed. This page proves progress, not completion.</div>\n"
        }
        html += "<h1>\(e(heading))</h1>\n<p class=\"title\">\(e(c.agreement.title))</p>\n"
        html += table(nil, [
            ["Agreement", code(c.agreement.id)],
            ["State", "<strong>\(e(c.agreement.state))</strong>" + (c.agreement.stateSince.map { " since \(e($0))" } ?? "")
                + (c.agreement.stateCommit.map { " in commit \(code($0))" } ?? "")],
            ["Content digest", code(c.agreement.digest)],
            ["Digest sent for approval", c.agreement.sentDigest.map(code) ?? "never sent"],
        ] + (c.interim ? [["Expires", c.agreement.expires.map(e) ?? "no expiry"]] : []) + [
            ["As of commit", code(c.repository.commit)],
            ["Trust root", code(c.repository.trustRoot)],
            ["Policy in force", "serial \(c.policy.serial), threshold \(c.policy.threshold)"
                + (c.policy.commit.map { ", ratified in \(code($0))" } ?? "") + (c.policy.digest.map { ", file \(code($0))" } ?? "")],
            ["Verification", c.verdict.ok
                ? "<span class=\"ok\">passed</span>: \(Plural.count(c.verdict.checked, "commit")) checked, no violations"
                : "<span class=\"bad\">FAILED</span>: \(Plural.count(c.verdict.violations, "violation")) in \(Plural.count(c.verdict.checked, "commit"))"],
        ], header: false)
        html += "<h2>Documents</h2>\n" + table(["File", "SHA-256", "Bytes", "Mode", "Listed"], c.agreement.documents.map {
            [code($0.path), code($0.sha256), String($0.size), $0.mode, $0.listed ? "yes" : "bound"]
        })
        let actions = c.events.filter { $0.action != "notify" }
        html += "<h2>Events</h2>\n" + table(["Time (UTC)", "Action", "Who", "Key", "Commit", "Effect"], actions.map { event in
            var action = e(event.action) + (event.step.map { "<br>step \(e($0))" } ?? "")
            if let delegate = event.delegate { action += "<br>to \(e(delegate))" }
            if let digest = event.digest { action += "<br>\(code(digest))" }
            if let comment = event.comment {
                let thread = code(String(comment.thread.prefix(19)))
                action += comment.resolves ? "<br>resolves thread \(thread)" : comment.thread != comment.event ? "<br>in thread \(thread)"
                    : "<br>opens thread \(thread)" + (comment.place.map { " on \(code($0))" } ?? "")
                if comment.afterEnd { action += "<br>after the end" }
            }
            if !event.text.isEmpty { action += "<div class=\"reason\">\(HTMLText.lines(event.text))</div>" }
            return [time(event), action, who(event), key(event), code(event.commit),
                    effect(event)]
        })
        let notices = c.events.filter { $0.action == "notify" }
        html += "<h2>Notices sent</h2>\n" + (notices.isEmpty ? "<p>None recorded.</p>\n" : table(["Time (UTC)", "Notice", "To", "Channel", "Recorded by", "Commit"], notices.map {
            [time($0), e($0.notice?.kind ?? "?") + ($0.step.map { " (step \(e($0)))" } ?? ""), e($0.notice?.recipient ?? "?"),
             e($0.notice?.channel ?? "?"), e($0.identity ?? "?"), code($0.commit)]
        }))
        html += "<h2>Identities, as they were at the events</h2>\n" + table(["Identity", "Name", "Email", "Kind", "Owner", "In current policy"], c.identities.map {
            [code($0.id), e($0.name), e($0.email), e($0.kind), $0.owner.map(e) ?? "", $0.current ? "yes" : "no (left or changed since)"]
        })
        if !c.verdict.findings.isEmpty {
            html += "<h2>Findings on this agreement</h2>\n" + table(["Commit", "Rule", "Severity", "Message"], c.verdict.findings.map {
                [code($0.commit), e($0.rule), e($0.severity), e($0.message)]
            })
        }
        html += """
        <h2>How to check this certificate</h2>
        <p>Every event above is a commit signed with an SSH key. In a clone of the repository, <code>sigit verify</code> repeats the
        whole check, and <code>git -c gpg.format=ssh -c gpg.ssh.allowedSignersFile=.sigit/allowed_signers verify-commit &lt;commit&gt;</code>
        checks one signature with stock git against the keys of the policy in force. <code>sigit export</code> makes a package with the
        commands to check it offline, and an <code>allowed_signers</code> that keeps every key with the email it had when it signed.</p>
        \(c.events.contains { $0.trustedTime != nil } ? trustedTimeNote : "")<p class="footer">Made \(e(c.generated)) by \(e(c.generator)), schema \(e(c.schema)).\(c.interim ? " INTERIM: not completed." : "")</p>
        </body>
        </html>

        """
        return html
    }

    static func code(_ text: String) -> String { "<code>\(HTMLText.escape(text))</code>" }

    /// The committer time; for an event with a counted time-stamp token, the trusted time under it with the authority
    /// and the TSA's subject, and the clock-skew warning when there is one.
    static func time(_ event: Certificate.Event) -> String {
        guard let t = event.trustedTime else { return HTMLText.escape(event.time) }
        var text = HTMLText.escape(event.time) + " committer<br>" + HTMLText.escape(t.genTime) + " trusted, by " + HTMLText.escape(t.authority)
            + " (" + HTMLText.escape(t.tsaSubject) + ")"
        if let warning = t.warning { text += "<br><span class=\"bad\">\(HTMLText.escape(warning))</span>" }
        return text
    }

    /// What a trusted time proves and what it does not, for a certificate that shows one (one line, ends the line).
    static let trustedTimeNote = "<p>A trusted time is the time of an RFC 3161 time-stamp token from an authority the policy lists: the authority "
        + "vouches that the event's commit object existed then, whatever the committer time says. It does not vouch for who signed the "
        + "event (the SSH signature does). The package of <code>sigit export</code> carries the tokens and the authorities' "
        + "certificates, and its VERIFY.md checks each token with <code>openssl ts -verify</code>.</p>\n"

    /// The actor as the event's own policy named them (never looked up by id: an id can change hands).
    static func who(_ event: Certificate.Event) -> String {
        guard let identity = event.identity else { return "<span class=\"bad\">unknown signer</span>" }
        var text = HTMLText.escape(identity)
        if let name = event.name, let email = event.email {
            text += "<br>\(HTMLText.escape(name)) &lt;\(HTMLText.escape(email))&gt;"
            if let kind = event.kind, kind != "human" { text += "<br>\(HTMLText.escape(kind))" + (event.owner.map { ", owner \(HTMLText.escape($0))" } ?? "") }
        }
        if let behalf = event.onBehalfOf { text += "<br>for \(HTMLText.escape(behalf))" }
        return text
    }

    static func key(_ event: Certificate.Event) -> String {
        guard let fingerprint = event.fingerprint else { return "<span class=\"bad\">unsigned</span>" }
        let facts = event.signature?.description(keyType: event.keyType ?? "") ?? event.keyType ?? ""
        return HTMLText.escape(facts) + "<br>" + code(fingerprint) + (event.signature?.origin.map { "<br>origin " + code($0) } ?? "")
    }

    static func effect(_ event: Certificate.Event) -> String {
        let text = HTMLText.escape(event.effect) + (event.violations.isEmpty ? "" : ": " + event.violations.map(HTMLText.escape).joined(separator: ", "))
        return event.effect == "violation" || event.effect == "dropped" ? "<span class=\"bad\">\(text)</span>" : text
    }

    /// A table; cells are HTML already escaped by the caller.
    static func table(_ head: [String]?, _ rows: [[String]], header: Bool = true) -> String {
        var out = "<table>\n"
        if let head { out += "<thead><tr>" + head.map { "<th>\($0)</th>" }.joined() + "</tr></thead>\n" }
        out += "<tbody>\n"
        for row in rows {
            out += "<tr>" + row.enumerated().map { i, cell in !header && i == 0 ? "<th>\(cell)</th>" : "<td>\(cell)</td>" }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    static let style = """
    body { font: 10.5pt/1.4 "DejaVu Sans", Helvetica, Arial, sans-serif; color: #111; margin: 2em auto; max-width: 60em; padding: 0 1em; }
    h1 { font-size: 18pt; margin: 0.6em 0 0.1em; } h2 { font-size: 12.5pt; margin: 1.4em 0 0.4em; border-bottom: 1px solid #999; }
    .title { font-size: 13pt; margin: 0 0 1em; }
    table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
    thead th { background: #eee; } tbody th { width: 13em; background: #f6f6f6; font-weight: 600; }
    tr { page-break-inside: avoid; break-inside: avoid; }
    code { font: 8.5pt "DejaVu Sans Mono", Menlo, monospace; word-break: break-all; }
    .reason { margin-top: 0.3em; padding-left: 0.5em; border-left: 3px solid #ccc; white-space: normal; }
    .ok { color: #06612b; font-weight: 700; } .bad { color: #a40000; font-weight: 700; }
    .interim { position: fixed; top: 0; left: 0; right: 0; background: #fff3cd; color: #7a4b00; border-bottom: 2px solid #d39e00;
      text-align: center; font-weight: 700; padding: 4px; z-index: 2; }
    .interim ~ h1 { margin-top: 2.2em; }
    .footer { color: #555; font-size: 8.5pt; margin-top: 2em; }
    @page { size: A4; margin: 16mm 12mm; }
    @media print { body { margin: 0; max-width: none; } thead { display: table-header-group; } }
    """

    /// For an interim certificate: a banner on screen; in print, a line in the top margin of every page (page margin
    /// boxes) and a faint watermark on every page (fixed elements repeat per printed page), so no page looks final.
    static let interimStyle = """
    .watermark { position: fixed; top: 45%; left: 0; right: 0; text-align: center; font-size: 110pt; font-weight: 700;
      color: rgba(200, 120, 0, 0.10); transform: rotate(-30deg); z-index: -1; pointer-events: none; }
    @page { @top-center { content: "INTERIM: not completed"; color: #7a4b00; font: 700 9pt "DejaVu Sans", sans-serif; } }
    @media print { .interim { position: static; margin-bottom: 1em; } .interim ~ h1 { margin-top: 0.6em; } }
    """
}
