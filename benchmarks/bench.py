#!/usr/bin/env python3
"""make bench: the performance table of docs/PERFORMANCE.md, measured in one run on this machine.

Builds (once, cached in $SIGIT_BENCH_CACHE, default ~/.cache/sigit-bench) sigit repositories of about 5k, 20k and
100k commits with benchmarks/setup-repo.sh, then times sigit against git and against the crypto floor (ed25519
verifications per second per core, measured now with the same library sigit uses) and prints every target of the
table with its ratio and PASS/FAIL. Medians of RUNS runs (default 5; 3 at 100k); peak memory is the largest maximum
resident set size of the runs. Times are wall clock; the machine is noisy, so compare ratios.
"""
import os, resource, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIGIT = os.environ.get("SIGIT", os.path.join(ROOT, ".build/release/sigit"))
GEN = os.environ.get("GEN", os.path.join(ROOT, ".build/release/sigit-bench-gen"))
CACHE = os.environ.get("SIGIT_BENCH_CACHE", os.path.expanduser("~/.cache/sigit-bench"))
SIZES = [int(s) for s in os.environ.get("SIZES", "5000 20000 100000").split()]
RUNS = int(os.environ.get("RUNS", "5"))
# BASELINE=/path/to/an/older/sigit also times that binary, in the same run, on its own copy of each repository (the
# two binaries' caches would otherwise invalidate each other), and prints new/old ratios.
BASELINE = os.environ.get("BASELINE")
CORES = os.cpu_count() or 1
FORMAT = "v2"  # bump when the generator changes, so cached repositories are rebuilt


def run(cmd, cwd, env=None, check=True):
    """Runs cmd; returns (seconds, peak RSS in MB, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if check and p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({p.returncode}): {p.stderr.decode()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, after.ru_maxrss / 1024 if after.ru_maxrss > before.ru_maxrss else 0.0, p.stdout.decode()


def rss_of(cmd, cwd, env=None):
    """Peak RSS (MB) of one run, read with GNU time when present, else from rusage."""
    if shutil.which("/usr/bin/time"):
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            return int(p.stderr.decode().strip().splitlines()[-1]) / 1024
        except ValueError:
            pass
    return run(cmd, cwd, env)[1]


def median(cmd, cwd, runs, prepare=None, env=None):
    times = []
    for _ in range(runs):
        if prepare:
            prepare()
        times.append(run(cmd, cwd, env)[0])
    return statistics.median(times)


def repository(n):
    folder = os.path.join(CACHE, f"{FORMAT}-{n}")
    if not os.path.exists(os.path.join(folder, "summary")):
        print(f"building the {n}-commit repository in {folder} (once)...", file=sys.stderr)
        subprocess.run(["bash", os.path.join(ROOT, "benchmarks/setup-repo.sh"), folder, str(n)], check=True,
                       env=dict(os.environ, SIGIT=SIGIT, GEN=GEN))
    return folder


def measure(sigit, folder, n, runs, rate, row, per_commit):
    """Times `sigit` on a fresh copy of the n-commit repository; reports rows when `row` is given. Returns the values."""
    values = {}
    work = os.path.join(CACHE, f"work-{n}" + ("" if row else "-baseline"))
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(folder, work, symlinks=True)
    repo = os.path.join(work, "repo")
    commits = int(subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, check=True, stdout=subprocess.PIPE).stdout)
    env = dict(os.environ, SIGIT_SIGNING_KEY=os.path.join(work, "keys/carol"))
    row = row or (lambda *args: None)

    def drop_cache():
        shutil.rmtree(os.path.join(repo, ".git/sigit/cache"), ignore_errors=True)

    cold = median([sigit, "verify"], repo, runs, prepare=drop_cache)
    values["cold verify"] = cold
    floor = commits / (rate * CORES)
    if per_commit is not None:
        per_commit[n] = cold / commits
    row("cold sigit verify vs crypto floor", commits, f"{cold * 1000:.0f} ms", "<= 1.3 x floor", f"{cold / floor:.2f}", cold <= 1.3 * floor)

    if n == min(SIZES) and per_commit is not None:
        k = min(2000, commits)
        git_sig = median(["git", "log", "--show-signature", "-n", str(k), "--format=%H"], repo, max(1, runs // 2))
        ratio = (git_sig / k) / (cold / commits)
        row("git log --show-signature per commit / sigit verify's", commits, f"{git_sig / k * 1e6:.0f} us", ">= 100 x", f"{ratio:.0f}", ratio >= 100)

    if n == 20000 or (20000 not in SIZES and n == SIZES[-1]):
        run([sigit, "status"], repo)  # warm the cache
        warm = median([sigit, "status"], repo, runs)
        values["warm status"] = warm
        gitlog = median(["git", "log", "--format=%H%x00%B"], repo, runs)
        row("warm sigit status (nothing new)", commits, f"{warm * 1000:.0f} ms", "<= 50 ms", "", warm <= 0.050)
        row("warm sigit status vs git log --format=%H%x00%B", commits, f"{warm * 1000:.0f} ms", f"<= {gitlog * 1000:.0f} ms", f"{warm / gitlog:.2f}", warm <= gitlog)

        def new_commit():
            subprocess.run(["git", "commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", "unrelated"], cwd=repo, check=True)
        one = median([sigit, "status"], repo, runs, prepare=new_commit)
        values["status after one commit"] = one
        row("sigit status after one new commit", commits, f"{one * 1000:.0f} ms", "<= 50 ms", "", one <= 0.050)

        base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True, stdout=subprocess.PIPE).stdout.decode().strip()

        def reset():
            subprocess.run(["git", "reset", "-q", "--hard", base], cwd=repo, check=True)
        approve = median([sigit, "approve", "bench-open"], repo, runs, prepare=reset, env=env)
        values["approve"] = approve
        reset()
        row("sigit approve", commits, f"{approve * 1000:.0f} ms", "<= 100 ms", "", approve <= 0.100)

    if n == max(SIZES):
        drop_cache()
        peak = rss_of([sigit, "verify"], repo)
        values["peak memory"] = peak
        row("peak memory, cold sigit verify", commits, f"{peak:.0f} MB", "<= 200 MB", "", peak <= 200)
    shutil.rmtree(work, ignore_errors=True)
    return values


def main():
    for tool in (SIGIT, GEN):
        if not os.access(tool, os.X_OK):
            sys.exit(f"bench: {tool} missing; run make bench (it builds the release binaries)")
    rate = float(subprocess.run([GEN, "--ed25519-rate"], check=True, stdout=subprocess.PIPE).stdout.decode().split()[0])
    print(f"machine: {CORES} cores; ed25519 verifications per second per core (swift-crypto, measured now): {rate:,.0f}")
    print(f"{'measure':<58} {'commits':>8} {'value':>12} {'target':>16} {'ratio':>8}  result")
    rows = []

    def row(measure, n, value, target, ratio, ok):
        rows.append(ok)
        print(f"{measure:<58} {n:>8} {value:>12} {target:>16} {ratio:>8}  {'PASS' if ok else 'FAIL'}", flush=True)

    per_commit = {}
    for n in SIZES:
        folder = repository(n)
        runs = RUNS if n < 50000 else max(3, RUNS // 2)
        new = measure(SIGIT, folder, n, runs, rate, row, per_commit)
        if BASELINE:
            old = measure(BASELINE, folder, n, runs, rate, None, None)
            for key in new:
                if key in old and old[key] > 0:
                    unit = "MB" if key == "peak memory" else "ms"
                    scale = 1 if unit == "MB" else 1000
                    print(f"{'  baseline -> now: ' + key:<58} {n:>8} {old[key] * scale:>9.0f} {unit} -> {new[key] * scale:.0f} {unit}"
                          f"   now/baseline {new[key] / old[key]:.2f}", flush=True)

    if len(per_commit) > 1:
        small, large = min(per_commit), max(per_commit)
        growth = per_commit[large] / per_commit[small]
        row(f"cold verify cost per commit, {large} vs {small} commits", large, f"{per_commit[large] * 1e6:.0f} us", "linear: ~1 x", f"{growth:.2f}", growth <= 1.5)
    print(f"{sum(rows)} of {len(rows)} targets met")


if __name__ == "__main__":
    main()
