#!/usr/bin/env python3
# Origin: copied unchanged (apart from this line) from the project's shared reference scripts, scripts/perf/gen_synth.py,
# the anchor timings the performance issue was written against.
"""Deterministic synthetic survival data for performance anchors.
Usage: python3 scripts/perf/gen_synth.py N OUT.csv   (seed fixed = 20240501 + N)
Columns: time (int days, 1..3650), status (1=event, 0=censored), group (1/2).
Event time ~ Exponential(mean 800 d for group 1, 1100 d for group 2); independent censoring
~ Exponential with hazard 0.43*event hazard (=> ~30% censored) plus administrative censoring at 3650.
"""
import sys
import numpy as np
import pandas as pd

n = int(float(sys.argv[1])); out = sys.argv[2]
rng = np.random.default_rng(20240501 + n)
group = rng.integers(1, 3, size=n, dtype=np.int8)
mean_t = np.where(group == 1, 800.0, 1100.0)
t = rng.exponential(mean_t)
c = rng.exponential(mean_t / 0.43)
obs = np.minimum(np.minimum(t, c), 3650.0)
status = ((t <= c) & (t <= 3650.0)).astype(np.int8)
time = np.clip(np.ceil(obs), 1, 3650).astype(np.int32)
pd.DataFrame({"time": time, "status": status, "group": group}).to_csv(out, index=False)
print(f"n={n} censored={1 - status.mean():.4f} distinct_times={len(np.unique(time))}")
