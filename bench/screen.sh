#!/usr/bin/env bash
# Name matching and sanctions screening, clew side by side with OpenSanctions' logic-v2 matcher (nomenklatura,
# run in-process as yente runs it, without Elasticsearch; bench/peer/logic_v2.py). Same lists, same queries,
# same gold, one thread each, run one after the other. Prints a table; the figures go to BENCHMARKS.md.
#
#   bench/screen.sh [NEGATIVES]     default 1000 (the peer takes about a minute per 100 queries)
#
# Needs python3 with venv; the peer is installed into bench/out/peer-venv on first use
# (followthemoney 4.11.2, nomenklatura 4.17.4, rigour 2.6.1: the versions of the research note).
set -euo pipefail
cd "$(dirname "$0")/.."
negatives=${1:-1000}
data=../shared/data
un=$data/sanctions/un_sc_consolidated_2024-09-26.xml
sdn=$data/sanctions/ofac_sdn_2022-01.csv
alt=$data/sanctions/ofac_alt_2022-01.csv
yente=$data/benchmarks/yente
out=bench/out/screen
mkdir -p "$out"

venv=bench/out/peer-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "followthemoney==4.11.2" "nomenklatura==4.17.4" "rigour==2.6.1"
fi
peer="$venv/bin/python bench/peer/logic_v2.py"

cargo build --release --quiet -p clew-screen --example screen_bench
cargo build --release --quiet -p clew-names --example score_pairs
bench=target/release/examples/screen_bench
pairs=target/release/examples/score_pairs

# The gold UN entry of each positive, made once and given to both sides.
$peer gold "$un" "$yente/positives_un_untreated.csv" > "$out/gold.csv"
head -n $((negatives + 1)) "$yente/negatives_global_1000.csv" > "$out/negatives.csv"

echo "== yente fixtures against the UN list (clew)"
$bench yente "$un" "$out/gold.csv" "$yente/positives_un_treated.csv" "$out/negatives.csv" > "$out/clew_yente.json"
echo "== yente fixtures against the UN list (logic-v2; every query against every individual)"
$peer yente "$un" "$out/gold.csv" "$yente/positives_un_treated.csv" "$out/negatives.csv" "$negatives" > "$out/peer_yente.json"

echo "== name_bench and the Korean cross-script set (both)"
install -m 644 $data/benchmarks/nomenklatura/name_bench_cases.csv "$out/name_bench.csv"
python3 - "$out" <<'PY'
import csv, sys
out = sys.argv[1]
# The self-generated set (clew's romanizer wrote its spellings) and the independent one (attested, hand-written).
for name, source in [("korean", "korean_cross_script.csv"), ("attested", "korean_attested.csv")]:
    rows = [r for r in csv.DictReader(l for l in open(f"crates/clew-screen/test_data/{source}") if not l.startswith("#"))]
    with open(f"{out}/{name}_pairs.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["schema", "name1", "name2", "expected", "kind"])
        for r in rows:
            w.writerow(["Person", r["variant"], r["target"], r["expected"], r["kind"]])
PY
$pairs "$out/name_bench.csv" > "$out/clew_name_bench.csv"
$peer pairs "$out/name_bench.csv" > "$out/peer_name_bench.csv"
$pairs "$out/korean_pairs.csv" > "$out/clew_korean.csv"
$peer pairs "$out/korean_pairs.csv" > "$out/peer_korean.csv"
$pairs "$out/attested_pairs.csv" > "$out/clew_attested.csv"
$peer pairs "$out/attested_pairs.csv" > "$out/peer_attested.csv"

echo "== speed against the UN and OFAC lists"
$bench speed "$un" "$sdn" "$yente/positives_un_treated.csv" > "$out/clew_speed.json"
$peer speed "$un" "$sdn" "$alt" "$yente/positives_un_treated.csv" 10 > "$out/peer_speed.json"

python3 - "$out" <<'PY'
import csv, json, sys
out = sys.argv[1]
clew, peer = json.load(open(f"{out}/clew_yente.json")), json.load(open(f"{out}/peer_yente.json"))
clew_speed, peer_speed = json.load(open(f"{out}/clew_speed.json")), json.load(open(f"{out}/peer_speed.json"))

def f1(scores_file, cases_file, label_column, positive):
    cases = list(csv.DictReader(open(cases_file)))
    scores = [float(r["score"]) for r in csv.DictReader(open(scores_file))]
    gold = [c[label_column] == positive for c in cases]
    pred = [s >= 0.7 for s in scores]
    tp = sum(p and g for p, g in zip(pred, gold)); fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold)); tn = sum(not p and not g for p, g in zip(pred, gold))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return (2 * precision * recall / (precision + recall) if precision + recall else 0.0), recall, tn / (tn + fp) if tn + fp else 1.0, fp

nb_clew = f1(f"{out}/clew_name_bench.csv", f"{out}/name_bench.csv", "is_match", "true")
nb_peer = f1(f"{out}/peer_name_bench.csv", f"{out}/name_bench.csv", "is_match", "true")
k_clew = f1(f"{out}/clew_korean.csv", f"{out}/korean_pairs.csv", "expected", "match")
k_peer = f1(f"{out}/peer_korean.csv", f"{out}/korean_pairs.csv", "expected", "match")
a_clew = f1(f"{out}/clew_attested.csv", f"{out}/attested_pairs.csv", "expected", "match")
a_peer = f1(f"{out}/peer_attested.csv", f"{out}/attested_pairs.csv", "expected", "match")
index, every = clew["index"], clew["every_entry"]
rows = [
    ("yente treated UN positives: recall at 0.7", f"{index['recall']:.3f} (every entry {every['recall']:.3f})", f"{peer['recall']:.3f}"),
    ("yente treated UN positives: top-1", f"{index['top1']:.3f} (every entry {every['top1']:.3f})", f"{peer['top1']:.3f}"),
    (f"negatives with any hit (of {peer['negatives']})", f"{index['negatives_with_hit']}", f"{peer['negatives_with_hit']}"),
    ("name_bench F1 at 0.7 (826 pairs)", f"{nb_clew[0]:.3f}", f"{nb_peer[0]:.3f}"),
    ("Korean cross-script set (self-generated): recall at 0.7", f"{k_clew[1]:.3f}", f"{k_peer[1]:.3f}"),
    ("Korean cross-script set (self-generated): near misses below 0.7", f"{k_clew[2]:.3f} ({k_clew[3]} above)", f"{k_peer[2]:.3f} ({k_peer[3]} above)"),
    ("Korean independent set (attested, hand-written): recall at 0.7", f"{a_clew[1]:.3f}", f"{a_peer[1]:.3f}"),
    ("Korean independent set: near misses below 0.7", f"{a_clew[2]:.3f} ({a_clew[3]} above)", f"{a_peer[2]:.3f} ({a_peer[3]} above)"),
    ("pairs/s, one thread (UN individuals, every pair)", f"{every['pairs_per_second']:,.0f}", f"{peer['pairs_per_second']:,.0f}"),
    (f"pairs/s, one thread (UN + OFAC, {clew_speed['entries']:,} entries, every pair)", f"{clew_speed['pairs_per_second']:,.0f}", f"{peer_speed['pairs_per_second']:,.0f}"),
    ("queries/s against UN + OFAC (clew: index; logic-v2: every entry)", f"{clew_speed['queries_per_second']:,.0f}", f"{1000 / peer_speed['median_ms']:.2f}"),
    ("p99 ms per query against UN + OFAC", f"{clew_speed['p99_ms']:.2f}", f"{peer_speed['p99_ms']:,.0f}"),
]
print(f"\n| measure | clew | logic-v2 |\n|---|---:|---:|")
for name, a, b in rows:
    print(f"| {name} | {a} | {b} |")
print(f"\nratio pairs/s (UN, every pair): {every['pairs_per_second'] / peer['pairs_per_second']:.0f}x")
PY
