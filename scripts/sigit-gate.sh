#!/usr/bin/env bash
# CI merge gate for a sigit repository (docs/CI.md).
#   sigit-gate.sh BASE HEAD
# 1. sigit verify BASE..HEAD: every commit the change brings is checked against the policy in force at it
#    (exit 1 names the rule of each violation).
# 2. Unless SIGIT_GATE_ALLOW_OPEN=1: every agreement the change touches must be completed at HEAD
#    (sigit status ID --check), so only fully signed agreements reach the protected branch.
# Pin the trust root first (git config sigit.root <commit>), or a replaced history would be trusted on first use.
set -euo pipefail
SIGIT="${SIGIT:-sigit}"
[ $# -eq 2 ] || { echo "usage: sigit-gate.sh BASE HEAD" >&2; exit 2; }
# A BASE of forty zeros (a branch pushed for the first time) verifies from the pinned trust root.
from="$1"; [ "$from" != 0000000000000000000000000000000000000000 ] || from=$(git config sigit.root) || { echo "sigit-gate: BASE is all zeros and sigit.root is not pinned" >&2; exit 2; }
base=$(git rev-parse --verify --quiet "$from^{commit}") || { echo "sigit-gate: BASE $1 names no commit here (fetch the full history)" >&2; exit 2; }
head=$(git rev-parse --verify --quiet "$2^{commit}") || { echo "sigit-gate: HEAD $2 names no commit here" >&2; exit 2; }
[ -n "$(git config sigit.root || true)" ] || echo "sigit-gate: warning: sigit.root is not pinned; pin the trust root your organisation published" >&2
"$SIGIT" verify "$base..$head"
[ "${SIGIT_GATE_ALLOW_OPEN:-0}" = 1 ] && exit 0
[ "$(git rev-parse HEAD)" = "$head" ] || { echo "sigit-gate: check out $head first (status reads HEAD)" >&2; exit 2; }
status=0
# Agreements the change touches: files under agreements/<id>/, and events (approvals are commits without file changes).
ids=$( { git diff --name-only "$base...$head" -- agreements/ | cut -d/ -f2
         git log --format='%(trailers:key=Sigit-Agreement,valueonly)' "$base..$head"; } | grep -E '^[a-z0-9][a-z0-9._-]*$' | LC_ALL=C sort -u || true)
for id in $ids; do
  [ -e "agreements/$id/agreement.yml" ] || { echo "sigit-gate: $id is removed by this change"; status=1; continue; }
  "$SIGIT" status "$id" --check >/dev/null && echo "sigit-gate: $id completed" || { echo "sigit-gate: $id is not completed"; status=1; }
done
exit $status
