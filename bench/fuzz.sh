#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), seeded from the repository's test data, and reports
# per target how long it ran, how many executions, and what it found. Needs the nightly toolchain and
# cargo-fuzz (installed if missing). Crashes land in fuzz/artifacts/TARGET/; make each a regression test.
#
#   bench/fuzz.sh 600          # ten minutes per target
#   bench/fuzz.sh 60 un_xml    # one target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(testimony un_xml ofac_csv ofac_xml ftm list_csv queries capture_table rate_table link_config link_records package_verify return_code safe_line_form dossier_manifest)
fi

# Seeds: the files the tests read, by what each target reads.
seed() {
  local target=$1; shift
  mkdir -p "fuzz/corpus/$target"
  for file in "$@"; do
    [ -f "$file" ] || continue
    # libFuzzer's -max_len below applies; large seeds are cut to their first 64 KiB.
    head -c 65536 "$file" > "fuzz/corpus/$target/seed-$(basename "$file")"
  done
}
seed testimony docs/examples/*.yaml crates/clew-store/test_data/project-v1/*.yaml
seed un_xml crates/clew-screen/test_data/lists/un_sc_consolidated_2024-09-26.xml
seed ofac_csv crates/clew-screen/test_data/lists/ofac_sdn_2022-01.csv
# The three files of a list in one input, split at form feeds as the target splits them.
lists=crates/clew-screen/test_data/lists
{ head -c 20000 $lists/ofac_sdn_2022-01.csv; printf '\f'; head -c 20000 $lists/ofac_alt_2022-01.csv; printf '\f'
  head -c 20000 $lists/ofac_add_2022-01.csv; } > fuzz/corpus/ofac_csv/seed-three-files.csv
seed ofac_xml crates/clew-screen/test_data/ofac_cons_advanced_excerpt.xml
seed ftm crates/clew-screen/test_data/lists/un_dprk_entities_2024-09-26.jsonl
seed list_csv crates/clew-screen/test_data/korean_cross_script.csv
seed queries crates/clew-screen/test_data/korean_cross_script.csv
seed capture_table crates/clew-stats/test_data/mse/*.csv
seed rate_table data/rates/usd-monthly.csv crates/clew-assess/test_data/rates/*.csv
seed link_config crates/clew-link/data/*.toml docs/examples/*.toml
seed link_records fuzz/seeds/people.csv
seed return_code fuzz/seeds/return-code.txt crates/clew-safeline/wordlists/en.txt
seed safe_line_form fuzz/seeds/safe-line-form.bin
seed dossier_manifest fuzz/seeds/dossier-manifest.json
# A real package (of the synthetic demo) to start from.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cargo build --release --quiet
clew=$PWD/target/release/clew
(cd "$scratch" && CLEW_PASSPHRASE=clew-demo-passphrase "$clew" demo --dir d --testimonies 3 >/dev/null \
  && CLEW_PASSPHRASE=clew-demo-passphrase "$clew" --project d --passphrase-env CLEW_PASSPHRASE package export \
     --testimony T-DEMO-000000 --audience prosecutor --out p.tar >/dev/null)
seed package_verify "$scratch/p.tar"

mkdir -p bench/out
report=bench/out/fuzz-$(date -u +%Y%m%dT%H%M%SZ).md
echo "| target | seconds | executions | peak RSS (MB) | result |" > "$report"
echo "|---|---|---|---|---|" >> "$report"
for target in "${targets[@]}"; do
  log="bench/out/fuzz-$target.log"
  # 2 GB memory, 10 s per input: an input over either is a finding, as a crash is.
  if cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
      -max_len=65536 -print_final_stats=1 > "$log" 2>&1; then
    result="no crash, timeout or memory overrun"
  else
    result="FOUND: see $log and fuzz/artifacts/$target/"
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  echo "| $target | $seconds | ${runs:-?} | ${rss:-?} | $result |" | tee -a "$report"
done
echo "report: $report"
