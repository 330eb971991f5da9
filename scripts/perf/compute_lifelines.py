#!/usr/bin/env python3
"""Usage: python3 scripts/perf/compute_lifelines.py synth.csv [REPS]
Compute only (data already in memory), as the reference script crates/rwe-stats/tests/reference/scripts/perf/perf_lifelines.py times it: KaplanMeierFitter overall
and per group with the median CI and survival at three times, and logrank_test. Median, min and max seconds."""
import statistics
import sys
import time

import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test
from lifelines.utils import median_survival_times

d = pd.read_csv(sys.argv[1])
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
T, E, G = d["time"].to_numpy(), d["status"].to_numpy(), d["group"].to_numpy()


def km():
    for mask in [slice(None), G == 1, G == 2]:
        k = KaplanMeierFitter().fit(T[mask], E[mask])
        median_survival_times(k.confidence_interval_)
        k.survival_function_at_times([365, 730, 1095])


def lr():
    m = G == 1
    return logrank_test(T[m], T[~m], E[m], E[~m])


for label, fn in [("km", km), ("logrank", lr)]:
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    print(f"lifelines {label:8s} n={len(d)} median_s={statistics.median(ts):.4f} min_s={min(ts):.4f} max_s={max(ts):.4f}")
