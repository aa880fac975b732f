/// Renders a certificate as Markdown (for a pull request or a wiki); every repository string goes through
/// `MarkdownText`.
public enum CertificateMarkdown {
    /// The document.
    public static func render(_ c: Certificate) -> String {
        let e = MarkdownText.escape, k = MarkdownText.code
        var out = c.interim
            ? "# Interim certificate: not completed\n\n> **INTERIM:** agreement \(e(c.agreement.id)) is \(e(c.agreement.state)), not completed.\n\n"
            : "# Certificate of Completion\n\n"
        out += "**\(e(c.agreement.title))**\n\n| | |\n|---|---|\n"
        let rows: [(String, String)] = [
            ("Agreement", e(c.agreement.id)),
            ("State", e(c.agreement.state) + (c.agreement.stateSince.map { " since \(k($0))" } ?? "") + (c.agreement.stateCommit.map { " in \(k($0))" } ?? "")),
            ("Content digest", k(c.agreement.digest)),
            ("As of commit", k(c.repository.commit)),
            ("Trust root", k(c.repository.trustRoot)),
            ("Policy in force", "serial \(c.policy.serial), threshold \(c.policy.threshold)" + (c.policy.commit.map { ", ratified in \(k($0))" } ?? "")),
            ("Verification", c.verdict.ok ? "passed: \(Plural.count(c.verdict.checked, "commit")), no violations" : "**FAILED**: \(Plural.count(c.verdict.violations, "violation")) in \(Plural.count(c.verdict.checked, "commit"))"),
        ]
        for (name, value) in rows { out += "| \(name) | \(value) |\n" }
        out += "\n## Documents\n\n| File | SHA\\-256 | Bytes | Listed |\n|---|---|---|---|\n"
        for d in c.agreement.documents { out += "| \(e(d.path)) | \(k(d.sha256)) | \(d.size) | \(d.listed ? "yes" : "bound") |\n" }
        out += "\n## Events\n\n| Time (UTC) | Action | Who | Key | Commit | Effect | Text |\n|---|---|---|---|---|---|---|\n"
        for v in c.events {
            var action = e(v.action) + (v.step.map { " (step \(e($0)))" } ?? "") + (v.delegate.map { " to \(e($0))" } ?? "")
            if let notice = v.notice { action += ": \(e(notice.kind)) to \(e(notice.recipient)) by \(e(notice.channel))" }
            if let comment = v.comment {
                action += comment.resolves ? " resolving thread \(k(String(comment.thread.prefix(19))))"
                    : comment.thread != comment.event ? " in thread \(k(String(comment.thread.prefix(19))))"
                    : " opening thread \(k(String(comment.thread.prefix(19))))" + (comment.place.map { " on \(e($0))" } ?? "")
                if comment.afterEnd { action += " (after the end)" }
            }
            var who = v.identity.map(e) ?? "unknown"
            if let name = v.name, let email = v.email { who += " (\(e(name)) &lt;\(e(email))&gt;)" }
            who += v.onBehalfOf.map { " for \(e($0))" } ?? ""
            var key = v.fingerprint.map { "\(e(v.signature?.description(keyType: v.keyType ?? "") ?? v.keyType ?? "")) \(k($0))" } ?? "unsigned"
            if let origin = v.signature?.origin { key += ", origin \(e(origin))" }
            let effect = e(v.effect) + (v.violations.isEmpty ? "" : ": " + v.violations.map(e).joined(separator: ", "))
            var time = k(v.time)
            if let t = v.trustedTime {
                time += " committer<br>\(k(t.genTime)) trusted, by \(e(t.authority)) (\(e(t.tsaSubject)))" + (t.warning.map { "<br>**\(e($0))**" } ?? "")
            }
            out += "| \(time) | \(action) | \(who) | \(key) | \(k(String(v.commit.prefix(12)))) | \(effect) | \(e(v.text)) |\n"
        }
        if c.events.contains(where: { $0.trustedTime != nil }) {
            out += "\nA trusted time is the time of an RFC 3161 time\\-stamp token from an authority the policy lists: the authority vouches that "
                + "the event's commit object existed then, whatever the committer time says. It does not vouch for who signed the event "
                + "(the SSH signature does). `sigit export` carries the tokens, and its VERIFY.md checks each with `openssl ts -verify`.\n"
        }
        out += "\n## Identities, as they were at the events\n\n| Identity | Name | Email | Kind | Owner | In current policy |\n|---|---|---|---|---|---|\n"
        for p in c.identities { out += "| \(e(p.id)) | \(e(p.name)) | \(e(p.email)) | \(e(p.kind)) | \(p.owner.map(e) ?? "") | \(p.current ? "yes" : "no") |\n" }
        if !c.verdict.findings.isEmpty {
            out += "\n## Findings\n\n"
            for f in c.verdict.findings { out += "- \(e(f.severity)) \(k(String(f.commit.prefix(12)))) \\[\(e(f.rule))\\] \(e(f.message))\n" }
        }
        out += "\nMade \(e(c.generated)) by \(e(c.generator)), schema \(e(c.schema))\(c.interim ? ". **INTERIM: not completed.**" : ".")\n"
        return out
    }
}
