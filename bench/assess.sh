#!/usr/bin/env bash
# Assessment throughput: `clew assess` over every testimony of a synthetic demo project (the ICLS 2018 and
# ILO 2012 classification of every work spell, with the evidence of every finding). Prints testimonies/s
# and peak memory. Target (issue 4): at least 20,000 testimonies/s. There is no peer tool to run beside it.
#
#   bench/assess.sh [TESTIMONIES]      default: 100000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
clew=$PWD/target/release/clew
out=bench/out/assess
rm -rf "$out" && mkdir -p "$out" && cd "$out"
"$clew" demo --dir demo --testimonies "$n" > /dev/null
"$clew" --project demo stats > /dev/null   # the database in the page cache, as after any earlier command
/usr/bin/time -f '%e %M' -o assess.time "$clew" --project demo --json assess > summary.json
read -r seconds kb < assess.time
python3 - "$n" "$seconds" "$kb" <<'PY'
import json, sys
n, seconds, kb = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
summary = json.load(open("summary.json"))
print(f"testimonies {summary['testimonies']}  spells {summary['spells']}  seconds {seconds:.2f} (inside clew: {summary['seconds']:.2f})")
print(f"testimonies/s {summary['testimonies'] / seconds:.0f}  peak RSS {kb / 1024:.0f} MiB")
print("ICLS 2018:", summary["icls"], " ILO 2012:", summary["ilo_2012"])
PY
