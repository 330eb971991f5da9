#!/usr/bin/env python3
"""Usage: python3 scripts/perf/gen_synth_parquet.py N OUT.parquet
The data of gen_synth.py (same seed rule, same distributions) written as Parquet in row groups of
2^20 rows: time int32, status int32, group int32 (12 bytes per row in memory). Generated in chunks
so that 10^8 rows need little memory; for N <= 10^7 the values equal gen_synth.py's CSV."""
import sys
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

n = int(float(sys.argv[1])); out = sys.argv[2]
rng = np.random.default_rng(20240501 + n)
chunk = n if n <= 10_000_000 else 1 << 24
schema = pa.schema([("time", pa.int32()), ("status", pa.int32()), ("group", pa.int32())])
with pq.ParquetWriter(out, schema, compression="snappy") as w:
    done = 0
    while done < n:
        m = min(chunk, n - done)
        group = rng.integers(1, 3, size=m, dtype=np.int8)
        mean_t = np.where(group == 1, 800.0, 1100.0)
        t = rng.exponential(mean_t)
        c = rng.exponential(mean_t / 0.43)
        obs = np.minimum(np.minimum(t, c), 3650.0)
        status = ((t <= c) & (t <= 3650.0)).astype(np.int32)
        time = np.clip(np.ceil(obs), 1, 3650).astype(np.int32)
        w.write_table(pa.table({"time": time, "status": status, "group": group.astype(np.int32)},
                               schema=schema), row_group_size=1 << 20)
        done += m
print(f"n={n} rows written to {out}")
