import Foundation

extension VerifyGuide {
    /// The sentence `VERIFY.md` adds after its list of files when the package carries time-stamp tokens; empty
    /// otherwise.
    static func timestampFiles(_ package: EvidencePackage) -> String {
        guard !package.stamps.isEmpty else { return "" }
        return """

        `\(PackagedStamp.folder)/` holds the RFC 3161 time-stamp tokens of \(Plural.count(package.stamps.count, "event")), and
        `\(PackagedStamp.authorityFolder)/` the certificate of each time-stamping authority they chain to (PEM); checking them needs
        OpenSSL (tested with 3.0).
        """
    }

    /// The section that checks each time-stamp token with `openssl ts -verify` against the commit object it covers and
    /// the authority certificate, and compares the genTime OpenSSL reads with the certificate's; empty when the package
    /// carries none. Every value in it is hex, a number, an RFC 3339 time or a checked name: safe in a shell line.
    static func timestampSection(_ package: EvidencePackage, git: String) -> String {
        guard !package.stamps.isEmpty else { return "" }
        let rows = package.stamps.map { s in
            "| `\(s.commit.hex)` | \(RFC3339.format(wholeSecond(s.stamp.genTime))) | `\(s.stamp.authority)` | `\(s.file)` |"
        }.joined(separator: "\n")
        let lines = package.stamps.map { s in
            let second = wholeSecond(s.stamp.genTime)
            return "stamp \(s.commit.hex) \(s.file) \(s.authorityFile) \(Int64(second.timeIntervalSince1970)) \(RFC3339.format(second))"
        }.joined(separator: "\n")
        return """

        ## Trusted times: the time-stamp tokens

        \(Plural.count(package.stamps.count, "event")) of this package \(package.stamps.count == 1 ? "carries" : "carry") a time-stamp token (RFC 3161) of a
        time-stamping authority (TSA) that a policy of this history lists. The token's message imprint is the SHA-256 of
        the event's commit object exactly as `git cat-file commit` prints it, signature included. This block writes each
        commit object to a file and has OpenSSL check the token against it and against the authority's certificate in
        `\(PackagedStamp.authorityFolder)/`, after checking that this certificate is one a version of `.sigit/policy.yml` in the
        history lists (the file alone would otherwise decide which TSA to trust; whether that policy was in force when
        the token was added is for `sigit verify --export`): the TSA's signature, its chain to that certificate (`-partial_chain`, since a policy may list the
        TSA's own certificate rather than its root), every certificate of the chain valid at the token's genTime
        (`-attime`), and the imprint. Then it prints the genTime the token carries and compares it with the trusted time
        of the certificate (to the second).

        **What a token proves:** that the commit object, and so the event with its signature, existed at the token's
        genTime, by the word of the TSA, whatever committer time the signer wrote. **What it does not prove:** who signed
        the event (block 3 checks the signatures), or that the signer was allowed to act (`sigit verify --export`
        checks the rules). A TSA vouches for a time, never for a person.

        | event commit | trusted time (genTime, UTC) | authority | token |
        |---|---|---|---|
        \(rows)

        ```sh
        set -euo pipefail
        object=$(mktemp); certs=$(mktemp -d); trap 'rm -rf "$object" "$certs"' EXIT
        # Every certificate any version of .sigit/policy.yml lists, by the SHA-256 fingerprint openssl gives it.
        \(git) log --full-history --format=%H refs/heads/main -- .sigit/policy.yml | while read -r c; do \(git) show "$c:.sigit/policy.yml" 2>/dev/null || true; done \\
          | awk -v d="$certs" '/-----BEGIN CERTIFICATE-----/{n++; b=1} b{sub(/^[ \\t]+/, ""); print > (d "/" n ".pem")} /-----END CERTIFICATE-----/{b=0}'
        listed=$(for f in "$certs"/*.pem; do [ -e "$f" ] && openssl x509 -in "$f" -noout -fingerprint -sha256 2>/dev/null || true; done)
        stamp() {
          # The one certificate openssl reads from the file, written again: only it is trusted below.
          openssl x509 -in "$3" -out "$certs/trusted.pem" 2>/dev/null || { echo "$3 is not a PEM certificate"; exit 1; }
          fp=$(openssl x509 -in "$certs/trusted.pem" -noout -fingerprint -sha256)
          case "$listed" in *"$fp"*) ;; *) echo "$3 is not a certificate a policy of this history lists"; exit 1 ;; esac
          \(git) cat-file commit "$1" > "$object"
          openssl ts -verify -in "$2" -token_in -data "$object" -CAfile "$certs/trusted.pem" -untrusted "$certs/trusted.pem" -partial_chain -attime "$4" >/dev/null 2>&1 || { echo "bad token: $2 (commit $1)"; exit 1; }
          t=$(openssl ts -reply -in "$2" -token_in -text 2>/dev/null | sed -n 's/^Time stamp: //p')
          test "$(date -u -d "$t" +%Y-%m-%dT%H:%M:%SZ)" = "$5" || { echo "genTime of $2 is $t, not $5"; exit 1; }
          echo "token ok: $1 existed at $t"
        }
        \(lines)
        echo "tokens ok: \(Plural.count(package.stamps.count, "token"))"
        ```

        """
    }

    /// `date` without its fraction of a second (what `RFC3339.format` and `date +%S` show).
    static func wholeSecond(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }
}
