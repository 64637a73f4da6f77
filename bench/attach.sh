#!/usr/bin/env bash
# Attaching a large file: `clew attach` (SHA-256 of the plaintext + age sealing + write, streaming) side by
# side with `sha256sum` alone, `sha256sum` then the `age` CLI (the same work with standard tools), and `cp`
# (the physical reference), on the same file in one run. The age CLI seals to one key; clew to the custodian
# and the project key. Prints MB/s, ratios and clew's peak memory.
#
#   bench/attach.sh [SIZE_MIB]      default: 1024
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
command -v age >/dev/null || { apt-get update -qq && apt-get install -y -qq age; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
clew=$PWD/target/release/clew
out=bench/out/attach
rm -rf "$out" && mkdir -p "$out" && cd "$out"

head -c "$((size_mib * 1024 * 1024))" /dev/urandom > file.bin
# With a passphrase, as a real project: the blob is sealed to the custodian and the project key.
CLEW_BENCH_PASS=bench-passphrase "$clew" --passphrase-env CLEW_BENCH_PASS init project > /dev/null
"$clew" keys custodian new --out custodian.key > /dev/null
key=$(sed -n 's/^# public key: //p' custodian.key)
"$clew" --project project keys custodian add "$key" > /dev/null
"$clew" --project project import ../../../docs/examples/testimony-synthetic.yaml > /dev/null
sync

seconds() { local start end; start=$(date +%s.%N); "$@" > /dev/null; end=$(date +%s.%N); python3 -c "print($end - $start)"; }
cat file.bin > /dev/null   # the file in the page cache for every contender alike
t_cp=$(seconds cp file.bin copy.bin); rm -f copy.bin
t_sha=$(seconds sha256sum file.bin)
t_sha_age=$(seconds sh -c "sha256sum file.bin && age -r $key -o file.bin.age file.bin"); rm -f file.bin.age
/usr/bin/time -f '%e %M' -o clew.time "$clew" --project project attach T-EXAMPLE-0001 file.bin > /dev/null
read -r t_clew clew_kb < clew.time

python3 - "$size_mib" "$t_cp" "$t_sha" "$t_sha_age" "$t_clew" "$clew_kb" <<'PY'
import sys
mib, cp, sha, sha_age, clew, kb = (float(x) for x in sys.argv[1:])
rate = lambda t: mib / t
print(f"{'what':<26}{'seconds':>9}{'MiB/s':>9}")
for name, t in [("cp (physical reference)", cp), ("sha256sum", sha), ("sha256sum + age CLI", sha_age), ("clew attach", clew)]:
    print(f"{name:<26}{t:>9.2f}{rate(t):>9.0f}")
print(f"clew / sha256sum: {sha / clew:.2f}x   clew / (sha256sum + age): {sha_age / clew:.2f}x   clew / cp: {cp / clew:.2f}x")
print(f"clew peak memory: {kb / 1024:.0f} MiB")
PY
