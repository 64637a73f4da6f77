#!/usr/bin/env bash
# Assessment throughput: `clew assess` over every testimony of a synthetic demo project (the ICLS 2018 and
# ILO 2012 classification of every work spell, with the evidence of every finding). Prints testimonies/s
# and peak memory. Target (issue 4): at least 20,000 testimonies/s. There is no peer tool to run beside it.
#
# Peak memory is the process's own (anonymous) memory: the scan maps the database file, and mapped file
# pages, which belong to the page cache, would otherwise count as the whole database.
#
#   bench/assess.sh [TESTIMONIES] [RUNS]      defaults: 100000 3
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${2:-3}
cargo build --release --quiet
clew=$PWD/target/release/clew
out=bench/out/assess
rm -rf "$out" && mkdir -p "$out" && cd "$out"
"$clew" demo --dir demo --testimonies "$n" > /dev/null
"$clew" --project demo stats > /dev/null   # the database in the page cache, as after any earlier command
python3 - "$clew" "$runs" <<'PY'
import json, statistics, subprocess, sys, time
clew, runs = sys.argv[1], int(sys.argv[2])

def peak_anon_kib(pid, process):
    peak = 0
    while process.poll() is None:
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("RssAnon:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.01)
    return peak

rates = []
for run in range(runs):
    started = time.monotonic()
    with open("summary.json", "w") as out:
        process = subprocess.Popen([clew, "--project", "demo", "--json", "assess"], stdout=out)
        peak = peak_anon_kib(process.pid, process)
    seconds = time.monotonic() - started
    if process.returncode != 0:
        sys.exit(f"clew assess failed ({process.returncode})")
    summary = json.load(open("summary.json"))
    rates.append(summary["testimonies"] / seconds)
    print(f"run {run + 1}: testimonies {summary['testimonies']}  spells {summary['spells']}  "
          f"seconds {seconds:.2f}  testimonies/s {rates[-1]:.0f}  peak memory {peak / 1024:.0f} MiB")
print(f"median testimonies/s {statistics.median(rates):.0f} over {runs} runs")
print("ICLS 2018:", summary["icls"], " ILO 2012:", summary["ilo_2012"])
PY
