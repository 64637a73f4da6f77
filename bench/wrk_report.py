"""One line of a wrk run's figures, for bench/web.sh and bench/safe-line.sh: requests/s, p50 and p99 latency,
non-2xx answers and socket errors from wrk's `--latency` output, and the server's resident memory (first, last
and highest of the samples, in MB).

    python3 bench/wrk_report.py LABEL WRK_OUTPUT RSS_SAMPLES_KB
"""
import re
import sys

label, text = sys.argv[1], open(sys.argv[2]).read()
rss = [int(x) for x in open(sys.argv[3]).read().split()]


def ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


# The latency distribution's lines begin with the percentile (the thread stats' "+/- Stdev" column also ends in %).
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = re.search(r"Socket errors: (.*)", text)
memory = f"; RSS MB first/last/max {rss[0]/1024:.0f}/{rss[-1]/1024:.0f}/{max(rss)/1024:.0f}" if rss else ""
print(f"{label}: {rps:,.1f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms, non-2xx {non2xx.group(1) if non2xx else 0}, "
      f"socket errors {errors.group(1) if errors else 'none'}{memory}")
