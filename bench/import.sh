#!/usr/bin/env bash
# Import throughput of `clew demo`, side by side with the physical reference: the sqlite3 command-line tool
# copying the very same statement rows into an empty database with the same schema, page size (SQLite's
# default), journal and durability settings. Prints statements/s, the ratio, and peak memory for each size (memory must stay flat).
#
#   bench/import.sh [N...]        default: 10000 100000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
clew=target/release/clew
out=bench/out
mkdir -p "$out"

printf '%-12s %-12s %-14s %-14s %-8s %-10s\n' testimonies statements "clew stmt/s" "sqlite3 row/s" ratio "clew RSS"
for n in "${sizes[@]}"; do
  rm -rf "$out/demo-$n" "$out/reference-$n.db"*
  /usr/bin/time -f '%e %M' -o "$out/time-$n" "$clew" --json demo --dir "$out/demo-$n" --testimonies "$n" > "$out/demo-$n.json"
  read -r clew_seconds clew_kb < "$out/time-$n"
  statements=$(sqlite3 "$out/demo-$n/clew.db" 'SELECT count(*) FROM statement')
  clew_rate=$(python3 -c "import json;print(round(json.load(open('$out/demo-$n.json'))['statements_per_second']))")

  # The reference: same schema (clew's own migration), same settings, the same rows in one transaction.
  start=$(date +%s.%N)
  sqlite3 "$out/reference-$n.db" > /dev/null <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA cache_size = -65536;
PRAGMA wal_autocheckpoint = 8192;
.read crates/clew-store/migrations/sqlite/0001_statements.sql
.read crates/clew-store/migrations/sqlite/0002_attachments.sql
.read crates/clew-store/migrations/sqlite/0012_statement_references.sql
ATTACH '$out/demo-$n/clew.db' AS demo;
BEGIN;
INSERT INTO statement SELECT * FROM demo.statement ORDER BY rowid;
COMMIT;
SQL

  end=$(date +%s.%N)
  reference_rate=$(python3 -c "print(round($statements / ($end - $start)))")
  ratio=$(python3 -c "print(f'{$clew_rate / $reference_rate:.2f}')")
  printf '%-12s %-12s %-14s %-14s %-8s %-10s\n' "$n" "$statements" "$clew_rate" "$reference_rate" "$ratio" "$((clew_kb / 1024)) MiB"
  rm -rf "$out/reference-$n.db"*
done
