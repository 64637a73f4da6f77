#!/usr/bin/env bash
# The web application under load: `wrk` on loopback against `clew serve` over the demo project (SYNTHETIC data
# made by clew's own generator), signed in as an analyst through the sign-in form, as a browser would be.
# Prints requests/s, p50/p99 latency and errors for each page, and the server's resident memory sampled every
# five seconds (flat, or growing): an entity page (for SECONDS, the long run), then for a minute each the
# testimony list with a filter (page and JSON), a name search, and yente's POST /match/default with one query
# a request (the yente fixtures' names) against the real UN and OFAC SDN lists kept in the project, beside
# OpenSanctions' logic-v2 run in-process on the same lists (bench/peer/logic_v2.py, as bench/screen.sh runs it).
#
#   bench/web.sh [TESTIMONIES] [SECONDS] [CONNECTIONS]     e.g. bench/web.sh 100000 300 32
#
# The demo project is kept in bench/out/web/demo-N and reused by later runs; the lists come from ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
testimonies=${1:-100000}
seconds=${2:-60}
connections=${3:-32}
out=$PWD/bench/out/web
mkdir -p "$out"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet -p clew-cli
clew=$PWD/target/release/clew
project=$out/demo-$testimonies
if [ ! -f "$project/accounts-DEMO-ONLY.json" ]; then
  "$clew" demo --dir "$project" --testimonies "$testimonies" --json > "$out/demo-$testimonies.json"
  data=../shared/data/sanctions
  "$clew" --project "$project" lists import "$data/un_sc_consolidated_2024-09-26.xml" > /dev/null
  "$clew" --project "$project" lists import "$data/ofac_sdn_2022-01.csv" > /dev/null
fi
port=$((20000 + RANDOM % 20000))
"$clew" --project "$project" serve --listen "127.0.0.1:$port" 2> "$out/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/sign-in" && break; sleep 0.1; done

# Sign the analyst in (once per demo project: its one-time password is changed at the first sign-in).
name=demo-analyst
chosen="bench password for the analyst"
first=$(python3 -c "import json,sys; a=[a for a in json.load(open(sys.argv[1])) if a['name']==sys.argv[2]][0]; print(a['password'])" \
  "$project/accounts-DEMO-ONLY.json" "$name")
sign_in() {
  curl -s -o /dev/null -D - -H 'Sec-Fetch-Site: same-origin' --data-urlencode "name=$name" \
    --data-urlencode "password=$1" "http://127.0.0.1:$port/sign-in" | tr -d '\r' | sed -n 's/^set-cookie: \(__Host-clew_session=[^;]*\).*/\1/p'
}
cookie=$(sign_in "$chosen")
if [ -z "$cookie" ]; then
  cookie=$(sign_in "$first")
  curl -s -o /dev/null -H 'Sec-Fetch-Site: same-origin' -H "Cookie: $cookie" --data-urlencode "current=$first" \
    --data-urlencode "new=$chosen" --data-urlencode "repeat=$chosen" "http://127.0.0.1:$port/account/password"
  # A password change renews the session: sign in again with the new password.
  cookie=$(sign_in "$chosen")
fi
[ -n "$cookie" ] || { echo "could not sign in" >&2; exit 1; }

run() {
  local label=$1 path=$2 duration=${3:-$seconds} script=${4:-}
  # A first request warms what the service builds once per state of the project (indexes).
  curl -s -o /dev/null -w "$label: first request %{time_total}s (%{http_code})\n" -H "Cookie: $cookie" "http://127.0.0.1:$port$path"
  local rss=$out/rss-$label.txt
  : > "$rss"
  (while kill -0 $server 2>/dev/null; do ps -o rss= -p $server >> "$rss"; sleep 5; done) &
  local sampler=$!
  wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Cookie: $cookie" -H 'Sec-Fetch-Site: same-origin' \
    ${script:+-s "$script"} "http://127.0.0.1:$port$path" > "$out/wrk-$label.txt"
  kill $sampler 2>/dev/null || true
  python3 bench/wrk_report.py "$label" "$out/wrk-$label.txt" "$rss"
}
# MATCH_ONLY=1 measures /match alone.
if [ -z "${MATCH_ONLY:-}" ]; then
  run entity /entities/demo.company.0000 "$seconds"
  run entity-api /api/v1/entities/demo.company.0000 60
  run testimonies '/testimonies?sector=construction&visa=study' 60
  run testimonies-api '/api/v1/testimonies?sector=construction&visa=study' 60
  run search '/search?q=Kim+Myongryong' 60
  run search-api '/api/v1/search?q=%EB%A6%AC%EC%A7%84%ED%95%99' 60
fi

# yente's match: one query a request, the names of the yente fixtures (listed UN entries and people who are not).
yente=../shared/data/benchmarks/yente
python3 - "$yente" "$out/match.lua" <<'PY'
import csv, json, sys
names = []
for file in ("positives_un_treated.csv", "negatives_global_1000.csv"):
    with open(f"{sys.argv[1]}/{file}", newline="") as f:
        names += [r["full_name"] for r in csv.DictReader(f) if r.get("full_name")][:100]
bodies = [json.dumps({"queries": {"q": {"schema": "Thing", "properties": {"name": [n]}}}}) for n in names]
with open(sys.argv[2], "w") as f:
    f.write("local bodies = {\n")
    for b in bodies:
        f.write("  " + json.dumps(b) + ",\n")
    f.write("}\nlocal i = 0\nrequest = function()\n  i = i % #bodies + 1\n")
    # wrk.format sends only the headers it is given: the session cookie and Sec-Fetch-Site go along.
    f.write('  local headers = {}\n  for k, v in pairs(wrk.headers) do headers[k] = v end\n')
    f.write('  headers["Content-Type"] = "application/json"\n')
    f.write('  return wrk.format("POST", nil, headers, bodies[i])\nend\n')
PY
curl -s -o /dev/null -H "Cookie: $cookie" -H 'Sec-Fetch-Site: same-origin' -H 'Content-Type: application/json' \
  --data '{"queries": {"q": {"schema": "Thing", "properties": {"name": ["warm up"]}}}}' "http://127.0.0.1:$port/match/default"
run match /match/default 60 "$out/match.lua"

venv=bench/out/peer-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "followthemoney==4.11.2" "nomenklatura==4.17.4" "rigour==2.6.1"
fi
data=../shared/data/sanctions
"$venv/bin/python" bench/peer/logic_v2.py speed "$data/un_sc_consolidated_2024-09-26.xml" "$data/ofac_sdn_2022-01.csv" \
  "$data/ofac_alt_2022-01.csv" "$yente/positives_un_treated.csv" 20 > "$out/peer_speed.json"
python3 -c "import json,sys; p=json.load(open(sys.argv[1])); print(f\"logic-v2 in-process (every entry, one thread): median {p['median_ms']:.0f} ms, p99 {p['p99_ms']:.0f} ms a query, {p['candidates']:,} entries\")" "$out/peer_speed.json"
