#!/usr/bin/env python3
"""Times whole authdeck runs where hyperfine is not installed: wall and CPU (user + system of
the child) medians over N runs, with an optional prepare command before each run.

Usage: scripts/time-runs.py "CMD" ["PREPARE|||CMD" ...]   (N = 15; BENCHMARKS.md uses it)
"""
import subprocess, time, sys, statistics, os, resource
def run(cmd, n=int(os.environ.get("RUNS","15")), prepare=None):
    ts=[]; cs=[]
    for i in range(n):
        if prepare: subprocess.run(prepare, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        r0=resource.getrusage(resource.RUSAGE_CHILDREN)
        t=time.perf_counter(); subprocess.run(cmd.split(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); ts.append((time.perf_counter()-t)*1000)
        r1=resource.getrusage(resource.RUSAGE_CHILDREN)
        cs.append(((r1.ru_utime-r0.ru_utime)+(r1.ru_stime-r0.ru_stime))*1000)
    ts.sort(); cs.sort()
    return f"wall median {statistics.median(ts):.1f} ms (min {ts[0]:.1f}); cpu median {statistics.median(cs):.1f} ms (min {cs[0]:.1f}) n={n}"
for spec in sys.argv[1:]:
    if '|||' in spec:
        prep, cmd = spec.split('|||')
    else:
        prep, cmd = None, spec
    print(f"{cmd}: {run(cmd, prepare=prep)}", flush=True)
