#!/usr/bin/env python3
"""Runs a command and prints its wall time, its peak resident memory (all of it, as GNU time reports it) and
its peak anonymous memory (RssAnon, sampled every 10 ms: what the process itself allocated, without the pages
of files it maps, such as the database file SQLite maps for a whole-table scan).

Usage: bench/peak.py OUT_FILE COMMAND [ARG...]   (writes "SECONDS PEAK_RSS_KB PEAK_ANON_KB" to OUT_FILE)"""
import resource
import subprocess
import sys
import time


def anon_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    out, command = sys.argv[1], sys.argv[2:]
    start = time.monotonic()
    child = subprocess.Popen(command)
    peak = 0
    while child.poll() is None:
        peak = max(peak, anon_kb(child.pid))
        time.sleep(0.01)
    seconds = time.monotonic() - start
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(out, "w") as f:
        f.write(f"{seconds:.2f} {rss} {peak}\n")
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
