#!/usr/bin/env bash
# The safe line under load: `wrk` on loopback against `clew serve --safe-line-listen` over a new project with one
# caseworker, sending what the pages' script sends (every request padded to a bucket, as assets/safe-line.js
# pads it). Prints requests/s, p50/p99 latency, non-2xx answers and refusals, and the server's resident memory
# sampled every five seconds:
#   - text: a letter of 4 KB (SYNTHETIC Korean and English text), no return code, for SECONDS (the long run);
#   - file: a 1 MiB file in 11 chunks of 96 KiB and then its letter, one connection per thread (a file's
#     requests in order), for a minute; a "submission" is the 12 requests;
#   - code: a return code checked (one Argon2id run each), for a minute, at 2 and at 4 connections.
# The limits are raised for the run (loopback counts only towards the whole line's limits anyway).
#
#   bench/safe-line.sh [SECONDS] [CONNECTIONS]     e.g. bench/safe-line.sh 300 32
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
connections=${2:-32}
out=$PWD/bench/out/safe-line
rm -rf "$out"
mkdir -p "$out"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet -p clew-cli
clew=$PWD/target/release/clew
export CLEW_USER=bench
"$clew" init "$out/project" --no-keys > /dev/null
"$clew" caseworker new --out "$out/caseworker.key" > /dev/null
"$clew" --project "$out/project" caseworker add "$out/caseworker.pub" --label bench > /dev/null
port=$((20000 + RANDOM % 20000))
"$clew" --project "$out/project" serve --listen "127.0.0.1:$((port + 1))" --safe-line-listen "127.0.0.1:$port" \
  --safe-line-pepper "$out/pepper" --safe-line-per-network 1000000000 --safe-line-per-minute 1000000000 \
  --safe-line-bytes-per-day 1000000000000 2> "$out/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
url="http://127.0.0.1:$port/"

# A conversation with a return code, for the code checks.
code=$(curl -s -F "message=SYNTHETIC bench" -F answer=digits "$url" | sed -n 's/.*class="code">\([^<]*\)<.*/\1/p')
[ -n "$code" ] || { echo "no return code" >&2; exit 1; }

python3 - "$out" "$code" <<'PY'
import sys
out, code = sys.argv[1], sys.argv[2]
SIZES = [10240, 28672, 131072]
CHUNK = 98304

def lua_string(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r") + "'"

# The body of a padded form, as assets/safe-line.js builds it; for fixed forms only.
def padded(fields):
    boundary = "----linebench"
    body = b""
    for name, value in fields:
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode() + b"\r\n"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="pad"\r\n\r\n'.encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    fixed = len(body) + len(head) + len(tail)
    size = next(s for s in SIZES if s >= fixed)
    return body + head + b"x" * (size - fixed) + tail, boundary

text = ("SYNTHETIC 시험 글입니다. 기숙사에서 일하는 사람의 이야기가 아닙니다. This is benchmark text, fictional. " * 40)[:4000]
while len(text.encode()) < 4096:
    text += "x"
for name, fields in (("text", [("message", text), ("answer", "none")]), ("code", [("code", code)])):
    body, boundary = padded(fields)
    with open(f"{out}/{name}.lua", "w") as f:
        f.write(f"wrk.method = 'POST'\nwrk.headers['Content-Type'] = 'multipart/form-data; boundary={boundary}'\n")
        f.write(f"wrk.body = {lua_string(body.decode())}\n")
        f.write("done = function(summary, latency, requests) io.write(string.format('bytes sent per request: %d\\n', #wrk.body)) end\n")

# A 1 MiB file: 11 chunks and the letter, in order on each connection (one connection per thread).
size = 1 << 20
chunks = -(-size // CHUNK)
with open(f"{out}/file.lua", "w") as f:
    f.write(f"""
local SIZE, CHUNK, CHUNKS, BUCKET = {size}, {CHUNK}, {chunks}, 131072
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
local step, file, full, last = 0, 0, string.rep("y", CHUNK), string.rep("y", SIZE - (CHUNKS - 1) * CHUNK)
local function form(fields, data)
  local b = "----linebench"
  local parts = {{}}
  for _, kv in ipairs(fields) do
    parts[#parts + 1] = "--" .. b .. "\\r\\nContent-Disposition: form-data; name=\\"" .. kv[1] .. "\\"\\r\\n\\r\\n" .. kv[2] .. "\\r\\n"
  end
  if data then
    parts[#parts + 1] = "--" .. b .. "\\r\\nContent-Disposition: form-data; name=\\"data\\"; filename=\\"b\\"\\r\\nContent-Type: application/octet-stream\\r\\n\\r\\n" .. data .. "\\r\\n"
  end
  local body = table.concat(parts)
  local head = "--" .. b .. "\\r\\nContent-Disposition: form-data; name=\\"pad\\"\\r\\n\\r\\n"
  local tail = "\\r\\n--" .. b .. "--\\r\\n"
  local fixed = #body + #head + #tail
  local size = 10240
  if fixed > 10240 then size = 28672 end
  if fixed > 28672 then size = BUCKET end
  return body .. head .. string.rep("x", size - fixed) .. tail
end
request = function()
  local token = string.format("%08x%08x%016x", id, file, 0)
  local body
  if step < CHUNKS then
    local data = full
    if step == CHUNKS - 1 then data = last end
    body = form({{{{"upload", token}}, {{"chunks", tostring(CHUNKS)}}, {{"chunk", tostring(step)}}}}, data)
    step = step + 1
  else
    local uploads = string.format('[{{"token":"%s","name":"scan.pdf","media_type":"application/pdf","size":%d,"sha256":"%s"}}]', token, SIZE, string.rep("0", 64))
    body = form({{{{"message", "SYNTHETIC a letter with a scan"}}, {{"uploads", uploads}}}}, nil)
    step = 0
    file = file + 1
  end
  return wrk.format("POST", nil, {{["Content-Type"] = "multipart/form-data; boundary=----linebench"}}, body)
end
""")
PY

run() {
  local label=$1 duration=$2 threads=$3 conns=$4 script=$5
  local rss=$out/rss-$label.txt
  : > "$rss"
  (while kill -0 $server 2>/dev/null; do ps -o rss= -p $server >> "$rss"; sleep 5; done) &
  local sampler=$!
  wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -s "$script" "$url" > "$out/wrk-$label.txt"
  kill $sampler 2>/dev/null || true
  python3 bench/wrk_report.py "$label" "$out/wrk-$label.txt" "$rss"
}

# Refusals do not show as non-2xx (every answer is 200): count what was stored instead.
stored() {
  python3 - "$out/project/safe-line/safe-line.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
letters = db.execute("SELECT count(*) FROM message WHERE kind = 'letter'").fetchone()[0]
files = db.execute("SELECT count(DISTINCT message || '/' || position) FROM file").fetchone()[0]
print(f"stored so far: {letters} letters, {files} files")
PY
}

run text "$seconds" 2 "$connections" "$out/text.lua"
stored
run file ${FILE_SECONDS:-60} 4 4 "$out/file.lua"
stored
run code-2 ${CODE_SECONDS:-60} 2 2 "$out/code.lua"
run code-4 ${CODE_SECONDS:-60} 2 4 "$out/code.lua"
echo "database: $(du -sh "$out/project/safe-line" | cut -f1)"
