#!/usr/bin/env bash
# Regenerates the seed inputs of fuzz/corpus/ from real tools: ssh-keygen keys and signatures,
# policies written by sigit, agreements rendered from every built-in template, the commit messages
# of a real sigit history. Seeds are named seed-*; files named by hash were added by `make fuzz`.
# Usage: SIGIT=.build/debug/sigit bash fuzz/make-seeds.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIGIT="${SIGIT:-$ROOT/.build/debug/sigit}"
[ -x "$SIGIT" ] || { echo "make-seeds: $SIGIT not found; run swift build" >&2; exit 2; }
SIGIT="$(cd "$(dirname "$SIGIT")" && pwd)/$(basename "$SIGIT")"
CORPUS="$ROOT/fuzz/corpus"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sigit-seeds.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig"
mkdir -p "$HOME" "$WORK/keys" "$CORPUS"/{FuzzSSHSig,FuzzPolicy,FuzzAgreement,FuzzTrailers}
rm -f "$CORPUS"/*/seed-*
git config --global init.defaultBranch main

# --- SSHSig: keys of every supported type, signatures, their binary blobs, private key files.
b64body() { sed '1d;$d' "$1" | tr -d '\n' | base64 -d; }     # armored file -> binary blob
keyblob() { awk '{print $2}' "$1" | base64 -d; }              # public key line -> binary blob
printf 'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@x> 0 +0000\n\nmessage\n' > "$WORK/msg"
for spec in ed25519:ed25519 p256:"ecdsa -b 256" rsa:"rsa -b 2048" ed25519enc:ed25519; do
  name="${spec%%:*}"; type="${spec#*:}"; pass=""; [ "$name" = ed25519enc ] && pass="secret"
  # shellcheck disable=SC2086
  ssh-keygen -q -t $type -N "$pass" -C "$name@fuzz" -f "$WORK/keys/$name"
  cp "$WORK/keys/$name" "$CORPUS/FuzzSSHSig/seed-private-$name"
  [ "$name" = ed25519enc ] && continue
  cp "$WORK/keys/$name.pub" "$CORPUS/FuzzSSHSig/seed-public-$name.pub"
  keyblob "$WORK/keys/$name.pub" > "$CORPUS/FuzzSSHSig/seed-public-$name.blob"
  for hash in sha512 sha256; do
    ssh-keygen -q -Y sign -n git -O hashalg=$hash -f "$WORK/keys/$name" "$WORK/msg"
    mv "$WORK/msg.sig" "$CORPUS/FuzzSSHSig/seed-sig-$name-$hash.sig"
    b64body "$CORPUS/FuzzSSHSig/seed-sig-$name-$hash.sig" > "$CORPUS/FuzzSSHSig/seed-sig-$name-$hash.blob"
  done
  # The inner signature (string algorithm, string signature): the last string of the SSHSIG blob.
  python3 - "$CORPUS/FuzzSSHSig/seed-sig-$name-sha512.blob" "$CORPUS/FuzzSSHSig/seed-inner-$name" <<'PY'
import struct, sys
blob = open(sys.argv[1], "rb").read()
pos = 10
for _ in range(5):
    (n,) = struct.unpack(">I", blob[pos:pos + 4]); field = blob[pos + 4:pos + 4 + n]; pos += 4 + n
open(sys.argv[2], "wb").write(field)
PY
done

# FIDO keys and signatures (sk-ssh-ed25519, sk-ecdsa, webauthn-sk): OpenSSH's own vectors, as no authenticator is
# at hand here (Tests/SSHSigTests/Vectors, see its README); the key line, key blob, SSHSIG armor, blob and inner signature.
for name in ed25519_sk ecdsa_sk ecdsa_sk_webauthn; do
  vectors="$ROOT/Tests/SSHSigTests/Vectors"
  cp "$vectors/$name.pub" "$CORPUS/FuzzSSHSig/seed-public-$name.pub"
  keyblob "$vectors/$name.pub" > "$CORPUS/FuzzSSHSig/seed-public-$name.blob"
  cp "$vectors/$name.sig" "$CORPUS/FuzzSSHSig/seed-sig-$name.sig"
  b64body "$vectors/$name.sig" > "$CORPUS/FuzzSSHSig/seed-sig-$name.blob"
  python3 - "$CORPUS/FuzzSSHSig/seed-sig-$name.blob" "$CORPUS/FuzzSSHSig/seed-inner-$name" <<'PY'
import struct, sys
blob = open(sys.argv[1], "rb").read()
pos = 10
for _ in range(5):
    (n,) = struct.unpack(">I", blob[pos:pos + 4]); field = blob[pos + 4:pos + 4 + n]; pos += 4 + n
open(sys.argv[2], "wb").write(field)
PY
done

# --- Policy, agreements, trailers: a real sigit history.
for who in alice bob carol bot; do ssh-keygen -q -t ed25519 -N '' -C "$who" -f "$WORK/keys/$who"; done
git init -q "$WORK/repo" && cd "$WORK/repo"
git config user.name "Alice Example"; git config user.email alice@example.com
export SIGIT_SIGNING_KEY="$WORK/keys/alice"
policy() { cp .sigit/policy.yml "$CORPUS/FuzzPolicy/seed-$1.yml"; }
"$SIGIT" init --name alice >/dev/null; policy init
"$SIGIT" identity add bob --email bob@example.com --public-key "$WORK/keys/bob.pub" --display-name "Bob Builder" >/dev/null
"$SIGIT" identity add carol --email carol@acme.example --public-key "$WORK/keys/carol.pub" >/dev/null
"$SIGIT" identity add bot --email bot@example.com --public-key "$WORK/keys/bot.pub" --kind service --owner alice >/dev/null
"$SIGIT" role add legal alice >/dev/null
for role in it procurement security finance hr change-board; do "$SIGIT" role add "$role" carol >/dev/null; done
"$SIGIT" grant draft bot >/dev/null; policy team
"$SIGIT" identity retire carol >/dev/null 2>&1 || true
"$SIGIT" identity revoke bob >/dev/null 2>&1 || true; policy windows
# Trusted time (spec section 8): an authority with openssl's certificate, its settings, a key compromised since a time.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$WORK/tsa.key" -out "$WORK/tsa.pem" \
  -days 365 -subj "/CN=Seed TSA/O=Example" 2>/dev/null
"$SIGIT" policy timestamping add seed-tsa --certificate "$WORK/tsa.pem" --url https://tsa.example.com/tsr >/dev/null
"$SIGIT" policy timestamping set --max-skew 2h --approvals on >/dev/null
"$SIGIT" identity revoke carol --compromised-since 2026-01-01T00:00:00Z >/dev/null; policy timestamping
# Hand-written: every key type, windows with fractional seconds, two admins, role grants, flow style.
cat > "$CORPUS/FuzzPolicy/seed-handwritten.yml" <<YAML
serial: 3
threshold: 2
identities:
  alice: {name: "Alice", email: alice@example.com, kind: human, keys: [{key: "$(cat "$WORK/keys/ed25519.pub")"}]}
  bob:
    email: 'bob@example.com'
    keys:
    - key: $(cut -d' ' -f1,2 "$WORK/keys/p256.pub")
      valid-after: 2026-01-01T00:00:00.250+02:00
      valid-before: 2027-01-01T00:00:00Z
    - key: $(cut -d' ' -f1,2 "$WORK/keys/rsa.pub")
      revoked: false
  agent-1: {kind: agent, owner: bob, keys: []}
roles:
  legal: [alice, bob]
  empty: []
permissions:
  admin: [alice, bob]
  draft: [role:legal, agent-1]
  void: []
  notify: [role:empty]
YAML
while read -r name; do
  [ -f "$ROOT/templates/$name/agreement.yml" ] || continue
  cp "$ROOT/templates/$name/agreement.yml" "$CORPUS/FuzzAgreement/seed-template-$name.yml"
  args=(); people=(bob carol alice); i=0
  for key in $("$SIGIT" templates | awk -v t="$name" '$1==t {getline; getline; print}' | grep -o -- '--set [a-z_]*' | awk '{print $2}'); do
    case "$key" in
      *signer|owner|manager|attester|employee|business_owner) args+=(--set "$key=${people[i % 3]}"); i=$((i + 1)) ;;
      service_identity) args+=(--set "$key=bot") ;;
      kind) args+=(--set "$key=service") ;;
      *) args+=(--set "$key=value of $key") ;;
    esac
  done
  "$SIGIT" --key "$WORK/keys/bot" new "$name" "a-$name" "${args[@]}" >/dev/null 2>&1 || "$SIGIT" new "$name" "a-$name" "${args[@]}" >/dev/null 2>&1 || continue
  cp "agreements/a-$name/agreement.yml" "$CORPUS/FuzzAgreement/seed-$name.yml"
done < <(ls "$ROOT/templates")
"$SIGIT" --key "$WORK/keys/bot" send a-nda >/dev/null 2>&1 || true
"$SIGIT" approve a-nda -m "Standard terms." >/dev/null 2>&1 || true
"$SIGIT" decline a-vendor-onboarding --reason "Clause 4 is too broad." >/dev/null 2>&1 || true
"$SIGIT" void a-security-attestation --reason "Cancelled" >/dev/null 2>&1 || true
n=0
for commit in $(git rev-list HEAD); do
  git cat-file commit "$commit" | sed '1,/^$/d' > "$CORPUS/FuzzTrailers/seed-message-$n"; n=$((n + 1))
done
echo "seeds: $(ls "$CORPUS"/FuzzSSHSig/seed-* | wc -l) SSHSig, $(ls "$CORPUS"/FuzzPolicy/seed-* | wc -l) policy, $(ls "$CORPUS"/FuzzAgreement/seed-* | wc -l) agreement, $n trailers"
