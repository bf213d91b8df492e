#!/usr/bin/env python3
# Copied from the project's shared bench folder (/work/shared/bench/), the reference the speed
# goals were measured with; kept here because CI runs on a fresh clone without that folder.
"""Alternate two commands A B A B ... (after one warm-up each) and print the median wall ms of
each and the median of the pairwise ratios A/B. Usage: pair.py N -- A... -- B..."""
import statistics, subprocess, sys, time
n = int(sys.argv[1]); rest = sys.argv[3:]; cut = rest.index("--")
a, b = rest[:cut], rest[cut + 1:]
def t(cmd):
    s = time.perf_counter(); subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); return (time.perf_counter() - s) * 1000
t(a); t(b)
ta, tb = [], []
for _ in range(n):
    ta.append(t(a)); tb.append(t(b))
print(f"{statistics.median(ta):.1f} {statistics.median(tb):.1f} {statistics.median(x / y for x, y in zip(ta, tb)):.3f}")
