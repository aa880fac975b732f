#!/usr/bin/env bash
# End-to-end demo on a temporary repository: three people and one service account, an NDA drafted by the
# service account, sent, approved by legal, signed in parallel from two separate clones through a shared bare
# repository guarded by sigit's pre-receive hook (the second signer's sigit sync makes a signed merge, never a
# rebase), then review, status, log, verify, RFC 3161 time-stamps from a loopback TSA, seal, certificate, the
# evidence package checked with stock tools only (openssl ts -verify for the time-stamps),
# a step with assurance {hardware: true, user-verification: true} met by a software authenticator
# (sigit-soft-authenticator) standing in for a hardware security key, as the output says, git's own signature check,
# and an invitation for a counterparty who signs in a browser: the demo ends with the command that starts sigit serve
# on the demo repository (kept for that) and the invitation link to open.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIGIT="${SIGIT:-$ROOT/.build/release/sigit}"
[ -x "$SIGIT" ] || { echo "demo: $SIGIT not found; run make demo" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sigit-demo.XXXXXX")"
# Kept when the demo succeeds (its last lines say how to sign in a browser there); removed when it fails.
trap 'status=$?; [ "$status" = 0 ] || rm -rf "$WORK"' EXIT
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig"
mkdir -p "$HOME" "$WORK/keys"
git config --global init.defaultBranch main
git config --global pull.rebase false
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "keys: alice (admin, legal), bob (our signer), carol (their signer), drafter-bot (service account)"
for who in alice bob carol drafter-bot; do ssh-keygen -q -t ed25519 -N '' -C "$who" -f "$WORK/keys/$who"; done

step "alice creates the repository and the policy"
git init -q --bare "$WORK/shared.git"
run "$SIGIT" hook install --repo "$WORK/shared.git" --protect main
git clone -q "$WORK/shared.git" "$WORK/alice" 2>/dev/null
cd "$WORK/alice"
git config user.name "Alice Example"; git config user.email alice@example.com
export SIGIT_SIGNING_KEY="$WORK/keys/alice"
run "$SIGIT" init --name alice
run "$SIGIT" identity add bob --email bob@example.com --public-key "$WORK/keys/bob.pub" --display-name "Bob Builder"
run "$SIGIT" identity add carol --email carol@acme.example --public-key "$WORK/keys/carol.pub" --display-name "Carol Acme"
run "$SIGIT" identity add drafter-bot --email bot@example.com --public-key "$WORK/keys/drafter-bot.pub" --kind service --owner alice
run "$SIGIT" role add legal alice
run "$SIGIT" grant draft drafter-bot
run "$SIGIT" grant notify drafter-bot
run "$SIGIT" policy show

step "trusted time: a time-stamping authority on loopback (openssl ts -reply; made for this demo), listed in the policy"
# A real RFC 3161 TSA: a self-signed certificate whose only use is timeStamping, openssl ts -reply behind a small
# HTTP server (the one the tests use). Any public TSA works the same (--url https://...).
mkdir -p "$WORK/tsa"
cat > "$WORK/tsa/req.cnf" <<'CNF'
[ req ]
distinguished_name = dn
x509_extensions = tsa
prompt = no
[ dn ]
CN = sigit demo TSA (loopback)
[ tsa ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
CNF
openssl req -x509 -config "$WORK/tsa/req.cnf" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/tsa/tsa.key" \
  -out "$WORK/tsa/tsa.pem" -days 365 2>/dev/null
echo 01 > "$WORK/tsa/serial"
cat > "$WORK/tsa/tsa.cnf" <<CNF
[ tsa ]
dir = $WORK/tsa
serial = \$dir/serial
crypto_device = builtin
signer_cert = \$dir/tsa.pem
signer_key = \$dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1.1
digests = sha256
ess_cert_id_alg = sha256
ess_cert_id_chain = no
CNF
python3 "$ROOT/Tests/TestSupport/Scripts/tsa_server.py" "$WORK/tsa/tsa.cnf" > "$WORK/tsa/port" 2> "$WORK/tsa/log" &
for _ in $(seq 100); do [ -s "$WORK/tsa/port" ] && break; sleep 0.1; done
[ -s "$WORK/tsa/port" ] || { echo "demo: the loopback TSA did not start: $(cat "$WORK/tsa/log")" >&2; exit 1; }
TSA_URL="http://127.0.0.1:$(head -1 "$WORK/tsa/port")/tsa"
run "$SIGIT" policy timestamping add demo-tsa --certificate "$WORK/tsa/tsa.pem" --url "$TSA_URL"
run "$SIGIT" grant timestamp drafter-bot

step "the service account drafts an NDA from the template and sends it"
run "$SIGIT" --key "$WORK/keys/drafter-bot" new nda nda-acme --set counterparty="Acme Corp" --set our_signer=bob --set their_signer=carol
run "$SIGIT" --key "$WORK/keys/drafter-bot" send nda-acme
run "$SIGIT" status nda-acme

step "the service account sends the due requests (to an outbox folder here; smtp://, webhook: and sendmail work the same)"
run "$SIGIT" --key "$WORK/keys/drafter-bot" notify --channel "outbox:$WORK/outbox"
run "$SIGIT" --key "$WORK/keys/drafter-bot" notify --channel "outbox:$WORK/outbox"
sed -n '1,/^$/p' "$WORK/outbox/"*.eml | grep -E '^(To|Subject|Message-ID):'

step "legal approves and pushes with sigit sync (the server's hook checks every pushed commit)"
run "$SIGIT" approve nda-acme -m "Standard terms, no changes needed."
run "$SIGIT" sync

step "bob and carol sign in parallel from their own clones"
for who in bob carol; do
  git clone -q "$WORK/shared.git" "$WORK/$who-clone"
  git -C "$WORK/$who-clone" config user.name "$who"; git -C "$WORK/$who-clone" config user.email "$who@example.com"
  (cd "$WORK/$who-clone" && export SIGIT_SIGNING_KEY="$WORK/keys/$who" && "$SIGIT" inbox && run "$SIGIT" review nda-acme && "$SIGIT" approve nda-acme)
done
(cd "$WORK/bob-clone" && SIGIT_SIGNING_KEY="$WORK/keys/bob" run "$SIGIT" sync)
(cd "$WORK/carol-clone" && SIGIT_SIGNING_KEY="$WORK/keys/carol" run "$SIGIT" sync && run git verify-commit HEAD)

step "the hook refuses what breaks the policy: an unsigned edit of the signed NDA"
git clone -q "$WORK/shared.git" "$WORK/mallory-clone"
(cd "$WORK/mallory-clone" && echo "Clause 9: all rights to Mallory." >> agreements/nda-acme/nda.md \
  && git -c user.name=Mallory -c user.email=m@example.com commit -qam "small fix" \
  && { if git push -q origin main 2>&1 | grep 'remote: sigit'; then :; fi; })
[ "$(git -C "$WORK/shared.git" rev-parse main)" = "$(git -C "$WORK/carol-clone" rev-parse HEAD)" ] || { echo "demo: the hook let it in" >&2; exit 1; }

step "alice syncs: state, audit trail, verification"
run "$SIGIT" sync
run "$SIGIT" status
run "$SIGIT" status nda-acme
run "$SIGIT" log nda-acme
run "$SIGIT" verify
run "$SIGIT" status --check nda-acme
run "$SIGIT" --key "$WORK/keys/drafter-bot" notify --channel "outbox:$WORK/outbox"

step "evidence: time-stamps, seal, certificate of completion, and a package an auditor checks with stock git, ssh-keygen and openssl"
run "$SIGIT" --key "$WORK/keys/drafter-bot" timestamp nda-acme
run "$SIGIT" log nda-acme
run "$SIGIT" seal nda-acme
run "$SIGIT" sync
run "$SIGIT" certificate nda-acme -o "$WORK/nda-acme-certificate.html"
run "$SIGIT" export nda-acme -o "$WORK/evidence"
ls "$WORK/evidence"
(cd "$WORK/evidence" && awk '/^```sh$/{f=1; n++; next} /^```$/{f=0; next} f{print > ("block" n ".sh")}' VERIFY.md \
  && for b in block*.sh; do env -i PATH=/usr/bin:/bin HOME="$WORK/evidence" bash "$b" || exit 1; done && rm -f block*.sh)
run "$SIGIT" verify --export "$WORK/evidence" --root "$(git config sigit.root)"

step "identity assurance: a step that needs a hardware key with user verification (spec section 7)"
echo "NOTE: no hardware security key here. A SOFTWARE authenticator (sigit-soft-authenticator, built for this demo)"
echo "      stands in for one: it writes an sk-ssh-ed25519 key file and, put first on PATH as ssh-keygen for dana's"
echo "      commands only, signs with the flags an authenticator sets after a PIN (user presence + verification)."
AUTHENTICATOR="$(dirname "$SIGIT")/sigit-soft-authenticator"
[ -x "$AUTHENTICATOR" ] || { echo "demo: $AUTHENTICATOR not found; build it with swift build" >&2; exit 2; }
mkdir -p "$WORK/soft-authenticator"
ln -s "$AUTHENTICATOR" "$WORK/soft-authenticator/ssh-keygen"
run "$AUTHENTICATOR" keygen -f "$WORK/keys/dana" -C dana
run "$SIGIT" identity add dana --email dana@example.com --public-key "$WORK/keys/dana.pub" --display-name "Dana Ops"
run "$SIGIT" role add security alice
run "$SIGIT" --key "$WORK/keys/drafter-bot" new security-attestation att-2026q4 --set scope="Build servers" --set period=2026-Q4 --set attester=dana
grep -A5 'step: attestation' agreements/att-2026q4/agreement.yml
run "$SIGIT" --key "$WORK/keys/drafter-bot" send att-2026q4
(export SIGIT_SIGNING_KEY="$WORK/keys/dana" PATH="$WORK/soft-authenticator:$PATH" && run "$SIGIT" approve att-2026q4 -m "Attested.")
run "$SIGIT" approve att-2026q4 -m "Reviewed."
run "$SIGIT" status att-2026q4
run "$SIGIT" verify

step "stock git verifies every signature"
git log --show-signature --format='%h %s' | cat
good=$(git log --format='%G?' | grep -c '^G' || true)
total=$(git log --no-merges --format='%h' | wc -l)
echo "git: $good Good signatures on $total non-merge commits"
[ "$good" -ge "$total" ] || { echo "demo: git did not verify every commit" >&2; exit 1; }

step "a counterparty without git signs in a browser with a passkey (spec section 9)"
run "$SIGIT" invite nda-erin --name erin --email erin@acme.example --display-name "Erin Acme" --step signatures \
  --expires 7d --origin http://localhost:8080 --channel "outbox:$WORK/outbox-erin"
run "$SIGIT" --key "$WORK/keys/drafter-bot" new nda nda-erin --set counterparty="Acme Corp" --set our_signer=bob --set their_signer=erin
run "$SIGIT" --key "$WORK/keys/drafter-bot" send nda-erin
run "$SIGIT" approve nda-erin -m "Legal: fine."
run "$SIGIT" --key "$WORK/keys/bob" approve nda-erin
run "$SIGIT" status nda-erin
LINK="$(grep -rh '/i/' "$WORK/outbox-erin" | tr -d '\r' | sed 's/^ *//' | head -1)"
[ -n "$LINK" ] || { echo "demo: the invitation mail has no link" >&2; exit 1; }
run "$SIGIT" verify
echo; echo "demo: OK"
echo
echo "Sign nda-erin as erin in your browser (the repository is kept at $WORK; remove it when done):"
echo "  $SIGIT -C $WORK/alice serve --listen 127.0.0.1:8080"
echo "  then open $LINK"
