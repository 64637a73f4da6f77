#!/usr/bin/env bash
# A dossier on the most-connected entity of the demo project (SYNTHETIC data made by clew's own generator):
# the entity named by the most statements, found in the project's database. Times `clew dossier` for each
# audience asked for, with and without its proofs, with its peak resident memory (all of it, and the anonymous
# part alone: bench/peak.py), against the issue's targets of under 10 s and under 500 MB. Each run is logged in the project's custody log, as every dossier is.
#
#   bench/dossier.sh [TESTIMONIES] [AUDIENCE...]     e.g. bench/dossier.sh 100000 internal un
#
# The demo project is bench/web.sh's (bench/out/web/demo-N), made here when missing. Each dossier carries its
# proofs (the custody log verified, a tree head signed with the demo's published passphrase). Then the sanctions
# brief across the whole project, for the monitors, is timed the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
testimonies=${1:-100000}
shift || true
audiences=("${@:-internal un}")
out=$PWD/bench/out/dossier
mkdir -p "$out"
cargo build --release --quiet -p clew-cli
export CLEW_BENCH_PASSPHRASE=clew-demo-passphrase
clew=$PWD/target/release/clew
project=$PWD/bench/out/web/demo-$testimonies
if [ ! -f "$project/clew.toml" ]; then
  "$clew" demo --dir "$project" --testimonies "$testimonies" --json > "$PWD/bench/out/web/demo-$testimonies.json"
fi
# Open it once, so that a migration of an older project is not timed.
"$clew" --project "$project" stats > /dev/null
entity=$(python3 - "$project/clew.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
row = db.execute(
    "SELECT value, COUNT(*) FROM statement WHERE reference = 1 AND value NOT LIKE 'witness:%' "
    "AND value NOT LIKE 'T-%' GROUP BY value ORDER BY COUNT(*) DESC, value LIMIT 1").fetchone()
print(row[0])
PY
)
echo "most-connected entity: $entity ($testimonies synthetic testimonies)"
printf '%-10s %-4s %8s %10s %11s %12s %8s %9s\n' audience lang proofs seconds "peak RSS MB" "anon MB" claims exhibits
for audience in ${audiences[*]}; do
  for proofs in yes no; do
    lang=en
    dir=$out/$audience-$lang-$proofs
    rm -rf "$dir"
    flags=()
    if [ "$proofs" = no ]; then flags=(--no-proofs); fi
    bench/peak.py "$out/time.txt" \
      "$clew" --project "$project" --passphrase-env CLEW_BENCH_PASSPHRASE --json dossier "$entity" \
      --audience "$audience" --lang "$lang" --out "$dir" --user bench "${flags[@]}" > "$out/report.json"
    read -r seconds kb anon < "$out/time.txt"
    claims=$(python3 -c "import json; print(json.load(open('$out/report.json'))['claims'])")
    exhibits=$(python3 -c "import json; print(json.load(open('$out/report.json'))['exhibits'])")
    printf '%-10s %-4s %8s %10s %11s %12s %8s %9s\n' "$audience" "$lang" "$proofs" "$seconds" "$((kb / 1024))" \
      "$((anon / 1024))" "$claims" "$exhibits"
  done
done
dir=$out/brief-monitors-en
rm -rf "$dir"
bench/peak.py "$out/time.txt" \
  "$clew" --project "$project" --json brief sanctions --audience monitors --out "$dir" --user bench > "$out/brief.json"
read -r seconds kb anon < "$out/time.txt"
witnesses=$(python3 -c "import json; print(json.load(open('$out/brief.json'))['witnesses_after_deadline'])")
bodies=$(python3 -c "import json; print(json.load(open('$out/brief.json'))['bodies'])")
echo "sanctions brief (monitors, en): $seconds s, peak RSS $((kb / 1024)) MB (anonymous $((anon / 1024)) MB);" \
  "$witnesses witnesses after the deadline, $bodies employers and dispatching bodies"
