import Foundation

/// `VERIFY.md` of an evidence package: what to run, with stock git, ssh-keygen and coreutils only, and what to expect.
/// Every value in it (commit ids, digests, the agreement id) is hex or a checked name, so it is safe in a shell line.
enum VerifyGuide {
    static func render(_ package: EvidencePackage) -> String {
        let c = package.certificate
        let id = package.id
        let git = "git --git-dir=history.git"
        let signers = "-c gpg.format=ssh -c gpg.ssh.program=ssh-keygen -c gpg.ssh.allowedSignersFile=\"$PWD/allowed_signers\""
        let config = EvidencePackage.historyConfig.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
        let references = package.references.joined(separator: "\\n")
        var out = """
        # Evidence for agreement \(id)

        Written by \(MarkdownText.escape(c.generator)) at \(c.generated). The agreement is **\(c.agreement.state)**\(c.interim ? " (this is an interim package: the agreement was not completed when it was written)" : "").

        | | |
        |---|---|
        | exported commit | `\(package.tip.hex)` |
        | trust root | `\(package.root.hex)` |
        | content digest | `\(c.agreement.digest)` |
        | policy serial | \(c.policy.serial) |

        Files: `history.git` (the full history up to the exported commit, on branch `main`), `allowed_signers` (every key
        a policy of that history listed, one line per window in which it belonged to one email, revoked keys left out),
        `certificate.html` and `certificate.json` (schema
        `\(Certificate.schemaName)`). You need git, ssh-keygen (OpenSSH) and coreutils; this was written for and tested
        with git 2.39 and OpenSSH 9.2 (key validity windows need git 2.35 or later). Run the blocks below in order, each
        with bash, from this folder; each prints what it checked and stops at the first failure.
        `sigit verify --export . --root <trust root>` runs every rule of the sigit format on top of this.\(timestampFiles(package))

        ## 1. The package is what sigit wrote, and the history is complete and unaltered

        The first lines check, without running git, that `history.git` holds nothing that would make git run a program
        or read objects from elsewhere (its config, alternates, grafts); if they fail, inspect the package by hand.

        ```sh
        set -euo pipefail
        printf '\(config)' | cmp -s - history.git/config || { echo "history.git/config is not what sigit export writes"; exit 1; }
        for f in \(EvidencePackage.foreignFiles.joined(separator: " ")); do
          test ! -e "history.git/$f" || { echo "unexpected history.git/$f"; exit 1; }
        done
        test "$(\(git) for-each-ref --format='%(refname)')" = "$(printf '\(references)')" || { echo "unexpected references"; exit 1; }
        \(git) fsck --full --strict
        test "$(\(git) rev-parse --verify 'refs/heads/main^{commit}')" = \(package.tip.hex)
        echo "history ok: main is \(package.tip.hex)"
        ```

        ## 2. It starts at the trust root

        Compare this commit with the trust root your organisation published (it is pinned in every clone as
        `git config sigit.root`): it is the commit that created `.sigit/policy.yml`.

        ```sh
        set -euo pipefail
        test "$(\(git) log --reverse --format=%H --diff-filter=A refs/heads/main -- .sigit/policy.yml | head -n 1)" = \(package.root.hex)
        echo "trust root ok: \(package.root.hex)"
        ```

        ## 3. Every event and every policy change was signed by a listed key

        `git verify-commit` checks each SSH signature with ssh-keygen against `allowed_signers`, at the commit's time
        (so a key's validity window applies, and `git log --show-signature` names the email the key had then). These
        are the agreement's events and the commits that brought each policy into force.

        ```sh
        set -euo pipefail
        commits="\(package.signedCommits.map(\.hex).joined(separator: "\n"))"
        for c in $commits; do
          \(git) \(signers) verify-commit "$c" 2>/dev/null || { echo "bad signature: $c"; exit 1; }
        done
        echo "signatures ok: \(Plural.count(package.signedCommits.count, "commit"))"
        ```

        ## 4. Every approval was for the content it names

        The content digest is SHA-256 over one line `<mode> <sha256 of the file> <path>` per file under
        `agreements/\(id)/`, sorted by path bytewise. Each send, approve and decline names it in its `Sigit-Digest`
        trailer; this recomputes it from the commit's own tree and compares, then checks the exported commit.

        ```sh
        set -euo pipefail
        digest() {
          \(git) ls-tree -r -z "$1" -- agreements/\(id)/ | while IFS= read -r -d '' entry; do
            meta=${entry%%$'\\t'*}; path=${entry#*$'\\t'}
            printf '%s %s %s\\n' "${meta%% *}" "$(\(git) cat-file blob "${meta##* }" | sha256sum | cut -d' ' -f1)" "${path#agreements/\(id)/}"
          done | LC_ALL=C sort -t' ' -k3 | sha256sum | cut -d' ' -f1
        }

        """
        if !package.digestCommits.isEmpty {
            out += """
            commits="\(package.digestCommits.map(\.hex).joined(separator: "\n"))"
            for c in $commits; do
              named=$(\(git) log -1 --format='%(trailers:key=Sigit-Digest,valueonly)' "$c")
              test "sha256:$(digest "$c")" = "$named" || { echo "digest differs at $c"; exit 1; }
            done

            """
        }
        out += """
        test "sha256:$(digest refs/heads/main)" = \(c.agreement.digest)
        echo "digests ok: \(Plural.count(package.digestCommits.count, "event")), content \(c.agreement.digest)"
        ```

        """
        if let seal = package.seal {
            out += """

            ## 5. The seal

            `\(seal.name)` is an SSH-signed tag on the commit that completed the agreement.

            ```sh
            set -euo pipefail
            \(git) \(signers) tag -v \(seal.name) 2>/dev/null >/dev/null || { echo "bad seal signature"; exit 1; }
            test "$(\(git) rev-parse --verify 'refs/tags/\(seal.name)^{commit}')" = \(seal.target.hex)
            echo "seal ok: \(seal.name) on \(seal.target.hex)"
            ```

            """
        }
        out += fidoSection(package, git: git)
        out += timestampSection(package, git: git)
        out += """

        ## What this proves, and what it does not

        A pass shows that the history is intact, that each listed event was signed by a key a policy of this history
        listed (and valid at that time), and that each approval names the exact content it was given. Whether each
        signer was *allowed* to act at that step is decided by the policy rules: `sigit verify --export . --root <trust root>` checks
        them, and `certificate.json` lists each event's effect (`counted`, `stale`, ...). Keep this folder read-only;
        an altered `allowed_signers` or certificate is detected by `sigit verify --export`, not by the blocks above.

        ## What this package reveals

        `history.git` is the whole history of the repository up to the exported commit, not only agreement \(id):
        every signature covers a commit's whole tree, so nothing can be cut out without breaking the signatures. Whoever
        receives this folder can read \(package.others.isEmpty ? "everything in it: it holds no other agreement" : "the files and the full audit trail of \(package.others.count == 1 ? "one other agreement" : "\(package.others.count) other agreements"): \(package.others.map { "`\($0)`" }.joined(separator: ", "))"), the policy with every identity's name, email and keys, and, in every commit message, who acted on which agreement and when.
        """
        return out + "\n"
    }

    /// The section that checks the flags and counter of each event signed by a hardware (FIDO) key against the
    /// certificate; empty when there is none. `ssh-keygen -Y verify` checks such a signature but not its flags; with
    /// `-vv` (OpenSSH 9.2) it prints them on stderr as `debug2: sig_verify: signature details: counter = N, flags = 0xNN`.
    static func fidoSection(_ package: EvidencePackage, git: String) -> String {
        let events = package.certificate.events.compactMap { event in
            event.signature.flatMap { s in s.flags.flatMap { flags in s.counter.map { (event.commit, $0, String(format: "0x%02x", flags)) } } }
        }
        guard !events.isEmpty else { return "" }
        // Commit ids are hex and the values numbers, so each line is safe in a shell line.
        let lines = events.map { "expect \($0.0) \($0.1) \($0.2)" }.joined(separator: "\n")
        return """

        ## Hardware keys: flags and counter

        \(Plural.count(events.count, "event")) of `certificate.json` \(events.count == 1 ? "was" : "were") signed by a FIDO authenticator (`sk-*` key,
        `"hardware": true`). Its signature carries a flags byte (0x01 user presence: a touch; 0x04 user verification: a
        PIN or biometric) and the authenticator's counter, both signed. `git verify-commit` (through `ssh-keygen -Y verify`)
        checks the signature but not the flags: it accepts a signature without user presence. With `-vv` ssh-keygen
        prints what the signature says, on stderr, as `debug2: sig_verify: signature details: counter = 7, flags = 0x05`;
        this block verifies each such event again through a wrapper that adds `-vv` and compares those values with the
        certificate's `signature.counter` and `signature.flags`. (ssh-keygen does not print a WebAuthn origin; the
        certificate shows it as `signature.origin`.)

        ```sh
        set -euo pipefail
        wrapper=$(mktemp); trap 'rm -f "$wrapper"' EXIT
        printf '#!/bin/sh\\nexec ssh-keygen -vv "$@"\\n' > "$wrapper"; chmod +x "$wrapper"
        expect() {
          out=$(\(git) -c gpg.format=ssh -c gpg.ssh.program="$wrapper" -c gpg.ssh.allowedSignersFile="$PWD/allowed_signers" verify-commit "$1" 2>&1) || { echo "bad signature: $1"; exit 1; }
          printf '%s\\n' "$out" | grep -qxF "debug2: sig_verify: signature details: counter = $2, flags = $3" || { echo "flags or counter differ from the certificate at $1"; exit 1; }
        }
        \(lines)
        echo "flags ok: \(Plural.count(events.count, "hardware-signed event"))"
        ```

        """
    }
}
