#!/usr/bin/env bash
# This build side by side with an earlier one, in one run, on the commands a refactoring could slow: the demo's
# import, assessing every testimony, `clew screen` against the UN and OFAC lists, and `clew link dedupe` on the
# Korean set. Runs alternate (old, new, old, new...) so that the machine's drift falls on both; prints the median
# of each and the spread between runs of one build (the noise).
#
#   bench/compare.sh REV [ROUNDS] [TESTIMONIES]     e.g. bench/compare.sh f2a0b65 5 30000
#
# The earlier build is made from REV in a worktree of its own (bench/out/compare/old); the lists come from
# ../shared/data (the real UN consolidated list and OFAC SDN), the queries from its yente fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?give the earlier revision, e.g. bench/compare.sh f2a0b65}
rounds=${2:-5}
testimonies=${3:-30000}
out=$PWD/bench/out/compare
mkdir -p "$out"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }

if [ ! -d "$out/old" ]; then git worktree add -q --detach "$out/old" "$rev"; fi
git -C "$out/old" checkout -q --detach "$rev"
(cd "$out/old" && CARGO_TARGET_DIR="$out/old-target" cargo build --release --quiet -p clew-cli)
cargo build --release --quiet -p clew-cli
cargo build --release --quiet -p clew-link --example korean_set
old=$out/old-target/release/clew
new=$PWD/target/release/clew

data=../shared/data
un=$data/sanctions/un_sc_consolidated_2024-09-26.xml
sdn=$data/sanctions/ofac_sdn_2022-01.csv
# The names of the yente fixtures' positives and negatives, as a documenter's queries file (no schema column).
python3 - "$data/benchmarks/yente" "$out/queries.csv" <<'PY'
import csv, sys
rows = []
for name in ("positives_un_treated.csv", "negatives_global_1000.csv"):
    with open(f"{sys.argv[1]}/{name}", newline="") as f:
        rows += [r["full_name"] for r in csv.DictReader(f) if r.get("full_name")]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["full_name"])
    w.writerows([r] for r in rows)
PY
target/release/examples/korean_set 20000 "$out/korean.csv" 1 > /dev/null

python3 - "$old" "$new" "$rounds" "$testimonies" "$out" "$un" "$sdn" <<'PY'
import json, os, shutil, statistics, subprocess, sys, time
old, new, rounds, testimonies, out, un, sdn = sys.argv[1:]
rounds, testimonies = int(rounds), int(testimonies)
builds = {"old": old, "new": new}
results = {(b, m): [] for b in builds for m in ("import", "assess", "screen", "link")}

def run(args, cwd=None):
    started = time.monotonic()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout, seconds

for round_ in range(rounds):
    order = ("old", "new") if round_ % 2 == 0 else ("new", "old")
    for build in order:
        clew = builds[build]
        project = f"{out}/demo-{build}"
        shutil.rmtree(project, ignore_errors=True)
        stdout, _ = run([clew, "--json", "demo", "--dir", project, "--testimonies", str(testimonies)])
        results[(build, "import")].append(json.loads(stdout)["statements_per_second"])
        run([clew, "--project", project, "stats"])
        stdout, _ = run([clew, "--project", project, "--json", "assess"])
        summary = json.loads(stdout)
        results[(build, "assess")].append(summary["testimonies"] / summary["seconds"])
        _, seconds = run([clew, "--json", "screen", "--list", un, "--list", sdn, "--queries", f"{out}/queries.csv"])
        results[(build, "screen")].append(seconds)
        _, seconds = run([clew, "--json", "link", "dedupe", f"{out}/korean.csv", "--config", "bench/link/korean.toml"])
        results[(build, "link")].append(seconds)
    print(f"round {round_ + 1} of {rounds} done", file=sys.stderr)

units = {"import": "statements/s", "assess": "testimonies/s", "screen": "s (whole process)", "link": "s (whole process)"}
print(f"\n| measure | previous build (median) | this build (median) | this / previous | noise (spread of one build) |")
print("|---|---:|---:|---:|---:|")
for measure in ("import", "assess", "screen", "link"):
    a, b = results[("old", measure)], results[("new", measure)]
    ma, mb = statistics.median(a), statistics.median(b)
    spread = max((max(x) - min(x)) / statistics.median(x) for x in (a, b))
    fmt = (lambda v: f"{v:,.0f}") if measure in ("import", "assess") else (lambda v: f"{v:.2f}")
    print(f"| {measure} ({units[measure]}) | {fmt(ma)} | {fmt(mb)} | {mb / ma:.3f} | ±{spread * 50:.1f}% |")
print("\nruns:", json.dumps({f"{b} {m}": [round(v, 3) for v in vals] for (b, m), vals in results.items()}))
PY
