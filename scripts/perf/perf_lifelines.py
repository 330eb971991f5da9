#!/usr/bin/env python3
# Origin: copied unchanged (apart from this line) from the project's shared reference scripts, scripts/perf/perf_lifelines.py,
# the anchor timings the performance issue was written against.
"""Usage: python3 scripts/perf/perf_lifelines.py synth_1e6.csv
Times ONLY KaplanMeierFitter().fit (+ median CI, logrank) excluding CSV read; median of 3."""
import sys, time, resource, statistics
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test
from lifelines.utils import median_survival_times
d = pd.read_csv(sys.argv[1])
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"rows={len(d)} maxrss_after_read_MB={rss0:.0f}")
T, E, G = d["time"].to_numpy(), d["status"].to_numpy(), d["group"].to_numpy()
def bench(label, fn):
    ts = []
    for _ in range(3):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    print(f"{label:45s} median_s={statistics.median(ts):.3f} runs=[{','.join('%.3f' % t for t in ts)}]")
bench("KaplanMeierFitter().fit (overall)", lambda: KaplanMeierFitter().fit(T, E))
bench("KaplanMeierFitter().fit per group (2 fits)", lambda: [KaplanMeierFitter().fit(T[G == g], E[G == g]) for g in (1, 2)])
k = KaplanMeierFitter().fit(T, E)
bench("median + median_survival_times(CI)", lambda: (k.median_survival_time_, median_survival_times(k.confidence_interval_)))
m = G == 1
bench("logrank_test(group1 vs group2)", lambda: logrank_test(T[m], T[~m], E[m], E[~m]))
print("median", k.median_survival_time_, median_survival_times(k.confidence_interval_).values.tolist())
print(f"maxrss_end_MB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024:.0f}")
