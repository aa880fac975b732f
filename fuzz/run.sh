#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of Sources/Fuzz*/ (see fuzz/README.md).
#   fuzz/run.sh build              instrumented build of every target into .build-fuzz
#   fuzz/run.sh fuzz SECONDS       each target SECONDS long, one after the other; new coverage is merged into fuzz/corpus/
#   fuzz/run.sh smoke SECONDS      each target SECONDS long from the corpus; the tree is not changed
#   fuzz/run.sh replay             every corpus file once through the ordinary (uninstrumented) build
# Environment: SWIFT (swift), FUZZ_TARGETS (all), FUZZ_MAX_LEN (16384), FUZZ_REPLAY_BUILD (.build).
# A crash, hang (>10 s per input) or excessive allocation (>2 GiB) stops the run with status 1; the
# input is saved as .build-fuzz/artifacts/<target>-crash-..., replay it with `.build-fuzz/debug/<target> FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
TARGETS="${FUZZ_TARGETS:-FuzzSSHSig FuzzPolicy FuzzAgreement FuzzTrailers FuzzTimeStamp}"
BUILD=.build-fuzz
MAX_LEN="${FUZZ_MAX_LEN:-16384}"
# The Swift backtracer would catch the trap before libFuzzer and ASan do; leaks are not what these targets look for.
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=0}"

dict() {
  case "$1" in FuzzPolicy|FuzzAgreement) echo fuzz/dict/yaml.dict ;; *) echo "fuzz/dict/$1.dict" ;; esac
}

# True on Linux with a toolchain that ships libFuzzer's runtime (swift.org toolchains do; also through swiftly).
supported() {
  local resources
  [ "$(uname -s)" = Linux ] || return 1
  resources="$("$SWIFT" -print-target-info 2>/dev/null | sed -n 's/.*"runtimeResourcePath": "\(.*\)".*/\1/p')"
  [ -n "$resources" ] && compgen -G "$resources/clang/lib/*/libclang_rt.fuzzer*.a" >/dev/null
}

build() {
  local start=$SECONDS
  for target in $TARGETS; do
    mkdir -p "$BUILD/logs"
    # Swift code gets libFuzzer's coverage and ASan; -Xcc does the same for the C inside the dependencies
    # (libyaml in Yams, BoringSSL in swift-crypto). The linker warns about every ASan helper symbol;
    # the log keeps that noise out of make test.
    if ! "$SWIFT" build --build-path "$BUILD" -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
        -Xcc -fsanitize=fuzzer-no-link,address --product "$target" >"$BUILD/logs/build-$target.log" 2>&1; then
      grep -v "Cannot export local symbol" "$BUILD/logs/build-$target.log" | tail -40 >&2
      echo "fuzz: the instrumented build of $target failed (log $BUILD/logs/build-$target.log)" >&2
      exit 1
    fi
  done
  echo "fuzz: instrumented build took $((SECONDS - start)) s"
}

# run TARGET SECONDS WRITABLE-CORPUS
run() {
  local target=$1 seconds=$2 corpus=$3 log="$BUILD/logs/$1.log"
  mkdir -p "$corpus" "$BUILD/artifacts" "$BUILD/logs"
  echo "fuzz: $target for $seconds s (log $log)"
  if ! "$BUILD/debug/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$MAX_LEN" \
      -dict="$(dict "$target")" -artifact_prefix="$BUILD/artifacts/$target-" -print_final_stats=1 \
      "$corpus" "fuzz/corpus/$target" >"$log" 2>&1; then
    grep -E "ERROR|error:|Fatal|SUMMARY|Test unit written|timeout|out-of-memory" "$log" | head -20 >&2 || true
    echo "fuzz: $target FAILED; input in $BUILD/artifacts/, full log $log" >&2
    echo "      replay: SWIFT_BACKTRACE=enable=no $BUILD/debug/$target $BUILD/artifacts/$target-<file>" >&2
    return 1
  fi
  grep -E "^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)" "$log" | tr '\n' ' ' | sed 's/^/      /'
  echo
}

# keep TARGET: adds to the corpus kept in the tree the fewest new inputs that reach code edges it does
# not reach yet (-use_counters=0: edges, not hit counts, so it stays small); kept files never change.
keep() {
  local target=$1 kept="fuzz/corpus/$1"
  "$BUILD/debug/$target" -merge=1 -use_counters=0 -timeout=10 -max_len="$MAX_LEN" \
    "$kept" "$BUILD/corpus/$target" >"$BUILD/logs/$target.merge.log" 2>&1
  echo "      corpus $kept: $(find "$kept" -type f | wc -l) files ($(grep -o '[0-9]* new files' "$BUILD/logs/$target.merge.log" | tail -1) added)"
}

case "${1:-}" in
  build)
    supported || { echo "fuzz: libFuzzer needs a Linux Swift toolchain (libclang_rt.fuzzer); skipped" >&2; exit 0; }
    build ;;
  fuzz)
    supported || { echo "fuzz: libFuzzer needs a Linux Swift toolchain (libclang_rt.fuzzer)" >&2; exit 2; }
    build
    for target in $TARGETS; do
      run "$target" "${2:-300}" "$BUILD/corpus/$target"
      keep "$target"
    done ;;
  smoke)
    if ! supported; then
      echo "fuzz-smoke: no libFuzzer here; replaying the corpus through the ordinary build instead" >&2
      exec "$0" replay
    fi
    build
    for target in $TARGETS; do
      rm -rf "$BUILD/smoke/$target"
      run "$target" "${2:-6}" "$BUILD/smoke/$target"
    done ;;
  replay)
    for target in $TARGETS; do
      "$SWIFT" build --build-path "${FUZZ_REPLAY_BUILD:-.build}" --product "$target" >/dev/null
      "${FUZZ_REPLAY_BUILD:-.build}/debug/$target" "fuzz/corpus/$target"
    done ;;
  *)
    echo "usage: fuzz/run.sh build | fuzz SECONDS | smoke SECONDS | replay" >&2
    exit 2 ;;
esac
