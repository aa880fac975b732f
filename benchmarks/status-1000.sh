#!/usr/bin/env bash
# Builds a repository with N agreements (default 1000), each drafted and sent, then times `sigit status`
# and `sigit verify` against `git log` in the same run and prints medians and ratios (hyperfine if present).
set -euo pipefail
N="${N:-1000}"
SIGIT="${SIGIT:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/sigit}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/sigit-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$WORK/home/.gitconfig"
mkdir -p "$HOME"; git config --global init.defaultBranch main
ssh-keygen -q -t ed25519 -N '' -C alice -f "$WORK/alice"
git init -q "$WORK/repo"; cd "$WORK/repo"
git config user.name Alice; git config user.email alice@example.com
git config gpg.format ssh; git config user.signingkey "$WORK/alice"
export SIGIT_SIGNING_KEY="$WORK/alice"
"$SIGIT" init --name alice >/dev/null
for i in $(seq 1 "$N"); do
  d="agreements/a-$i"; mkdir -p "$d"
  printf 'title: "Agreement %s"\ndocuments: [doc.md]\nworkflow:\n  - step: review\n    approvers: [alice]\n' "$i" > "$d/agreement.yml"
  printf '# Agreement %s\n\nText.\n' "$i" > "$d/doc.md"
done
git add agreements; git commit -q -S -m "draft $N agreements"
"$SIGIT" status --json | python3 -c '
import json,sys
for a in json.load(sys.stdin)["agreements"]: print(a["id"], a["digest"])' > "$WORK/digests"
while read -r id digest; do
  git commit -q -S --allow-empty -m "send $id

Sigit-Version: 1
Sigit-Action: send
Sigit-Agreement: $id
Sigit-Identity: alice
Sigit-Digest: $digest"
done < "$WORK/digests"
echo "repository: $(git rev-list --count HEAD) commits, $N agreements in progress"
"$SIGIT" verify | tail -1
if command -v hyperfine >/dev/null; then
  # BASELINE=/path/to/an/older/sigit also times that binary on the same repository, in the same run.
  extra=(); [ -n "${BASELINE:-}" ] && extra=("$BASELINE status" "$BASELINE verify")
  hyperfine -N --warmup 1 --runs "${RUNS:-10}" --export-json "$WORK/h.json" \
    "git log" "$SIGIT status" "$SIGIT verify" "git log --show-signature" "${extra[@]}" >/dev/null
  python3 - "$WORK/h.json" "${BASELINE:-}" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base = r[0]["median"]
for x in r:
    baseline = sys.argv[2] if len(sys.argv) > 2 else ""
    name = x["command"] if x["command"].startswith("git") else ("baseline " if baseline and x["command"].startswith(baseline) else "") + x["command"].split("/")[-1]
    print(f'{name:<40} median {x["median"]*1000:8.1f} ms   ratio to git log {x["median"]/base:6.2f}')
PY
else
  for c in "git log" "$SIGIT status" "$SIGIT verify"; do /usr/bin/time -f "%e s  $c" $c >/dev/null; done
fi
