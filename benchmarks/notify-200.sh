#!/usr/bin/env bash
# benchmarks/notify-200.sh [RUNS]: times one `sigit notify` run that delivers 200 notices to an outbox: 100 sent
# agreements whose legal-review step two legal members may fill (two requests each). Each run starts from a copy of
# the same repository; prints the median of RUNS (default 5) for the dry run (what is due, nothing sent or recorded)
# and for the real run (delivery to the outbox, then one notify event). SIGIT picks the binary (default release).
set -euo pipefail
RUNS="${1:-5}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIGIT="${SIGIT:-$ROOT/.build/release/sigit}"
DIR="$(mktemp -d)"; trap 'rm -rf "$DIR"' EXIT
export HOME="$DIR/home" GIT_CONFIG_GLOBAL="$DIR/home/.gitconfig" GIT_CONFIG_NOSYSTEM=1; mkdir -p "$HOME" "$DIR/keys"
for who in alice bob carol bot; do ssh-keygen -q -t ed25519 -N '' -C "$who" -f "$DIR/keys/$who"; done
git init -q -b main "$DIR/repo"; cd "$DIR/repo"
git config user.name Alice; git config user.email alice@example.com
as() { SIGIT_SIGNING_KEY="$DIR/keys/$1" "$SIGIT" "${@:2}" >/dev/null; }
as alice init --name alice
as alice identity add bob --email bob@example.com --public-key "$DIR/keys/bob.pub"
as alice identity add carol --email carol@example.com --public-key "$DIR/keys/carol.pub"
as alice identity add bot --email bot@example.com --public-key "$DIR/keys/bot.pub" --kind service --owner alice
as alice role add legal alice bob
as alice grant draft bot
as alice grant notify bot
for i in $(seq 1 100); do
    as bot new nda "nda-$i" --set counterparty=Acme --set our_signer=bob --set their_signer=carol
    as bot send "nda-$i"
done
due=$(SIGIT_SIGNING_KEY="$DIR/keys/bot" "$SIGIT" notify --dry-run --channel "outbox:$DIR/out" | grep -c '^due')
echo "$(git rev-list --count HEAD) commits, $due notices due"
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
time_run() {  # time_run ARGS...: seconds of one notify run on a fresh copy
    rm -rf "$DIR/run" "$DIR/out"; cp -r "$DIR/repo" "$DIR/run"
    local start end; start=$(date +%s.%N)
    (cd "$DIR/run" && SIGIT_SIGNING_KEY="$DIR/keys/bot" "$SIGIT" notify --channel "outbox:$DIR/out" "$@" >/dev/null)
    end=$(date +%s.%N); echo "$end - $start" | bc
}
dry=$(for _ in $(seq 1 "$RUNS"); do time_run --dry-run; done | median)
real=$(for _ in $(seq 1 "$RUNS"); do time_run; done | median)
events=$(cd "$DIR/run" && git rev-list --count HEAD)
echo "notify --dry-run: median ${dry}s of $RUNS; notify (deliver $due to outbox + record): median ${real}s of $RUNS; $(ls "$DIR/out" | wc -l) files written, commits after the run: $events"
