#!/usr/bin/env bash
# benchmarks/setup-repo.sh DIR COMMITS: a sigit repository at DIR/repo with about COMMITS valid signed commits
# (keys in DIR/keys): the policy set up with the real sigit, then history appended in-process by sigit-bench-gen,
# then packed as a clone would be. Used by benchmarks/bench.py, which caches the result.
set -euo pipefail
DIR="$1" N="$2"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIGIT="${SIGIT:-$ROOT/.build/release/sigit}" GEN="${GEN:-$ROOT/.build/release/sigit-bench-gen}"
rm -rf "$DIR"; mkdir -p "$DIR/keys"
for who in alice bob carol bot; do ssh-keygen -q -t ed25519 -N '' -C "$who" -f "$DIR/keys/$who"; done
git init -q -b main "$DIR/repo"; cd "$DIR/repo"
git config user.name Alice; git config user.email alice@example.com
export SIGIT_SIGNING_KEY="$DIR/keys/alice"
"$SIGIT" init --name alice >/dev/null
"$SIGIT" identity add bob --email bob@example.com --public-key "$DIR/keys/bob.pub" >/dev/null
"$SIGIT" identity add carol --email carol@example.com --public-key "$DIR/keys/carol.pub" >/dev/null
"$SIGIT" identity add bot --email bot@example.com --public-key "$DIR/keys/bot.pub" --kind service --owner alice >/dev/null
"$SIGIT" role add legal alice >/dev/null
"$SIGIT" grant draft bot >/dev/null
have=$(git rev-list --count HEAD)
"$GEN" "$DIR/repo" "$DIR/keys" $(( N > have ? N - have : 1 )) >/dev/null
git reset -q --hard
git repack -adq
git prune
echo "$(git rev-list --count HEAD) commits, $(git ls-tree HEAD agreements/ | wc -l) agreements" > "$DIR/summary"
