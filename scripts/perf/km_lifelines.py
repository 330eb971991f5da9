#!/usr/bin/env python3
"""Usage: python3 scripts/perf/km_lifelines.py synth.csv
The whole of `rwe km FILE --time time --event status --group group --at 365,730,1095` with lifelines: read
the CSV, Kaplan-Meier overall and per group, median with CI, survival at three landmarks, log-rank test."""
import sys
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test
from lifelines.utils import median_survival_times

d = pd.read_csv(sys.argv[1])
T, E, G = d["time"].to_numpy(), d["status"].to_numpy(), d["group"].to_numpy()
out = []
for mask in [slice(None), G == 1, G == 2]:
    k = KaplanMeierFitter().fit(T[mask], E[mask])
    out.append((k.median_survival_time_, median_survival_times(k.confidence_interval_).values.tolist(),
                k.survival_function_at_times([365, 730, 1095]).tolist()))
m = G == 1
lr = logrank_test(T[m], T[~m], E[m], E[~m])
print(f"rows={len(d)} median_overall={out[0][0]} chisq={lr.test_statistic:.6f}")
