#!/usr/bin/env bash
# rwe against R survival and Python lifelines on the same files, in the same session.
#
#   scripts/bench-peers.sh [SIZES...]        default: 1e5 1e6 1e7; add 1e8 for rwe alone from Parquet
#
# Installs the peers if they are missing (Debian r-base-core + r-cran-survival via apt-get, lifelines and
# pyarrow via pip), builds rwe in release mode, generates the data deterministically (scripts/perf/gen_synth.py,
# seed 20240501 + N), then for each size:
#   * whole process from the same CSV: `rwe km`, `Rscript scripts/perf/km_r.R`, `python3 scripts/perf/km_lifelines.py`,
#     REPS runs each (default 5) under /usr/bin/time -v: median, min–max wall seconds and peak RSS;
#   * compute only (data in memory): scripts/perf/compute_r.R and compute_lifelines.py (3 runs each), and the
#     criterion benches of rwe-stats (`cargo bench -p rwe-stats --bench survival`) when BENCH_CRITERION=1;
#   * `rwe km` from Parquet (scripts/perf/gen_synth_parquet.py).
# REPS (default 5) sets the whole-process runs, COMPUTE_REPS (default 3) the compute-only runs of R and lifelines.
# Prints one line per measurement and the ratios; `uptime` is printed before each size (the load matters on a
# shared 2-core machine). Set NICE="nice -n 10" to lower the priority of every timed command.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${BENCH_DATA:-$ROOT/target/bench-data}
REPS=${REPS:-5}
NICE=${NICE:-}
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(1e5 1e6 1e7)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$DATA"

APT_UPDATED=0
apt_install() { [ $APT_UPDATED = 1 ] || { apt-get update; APT_UPDATED=1; }; apt-get install -y "$@"; }
if ! Rscript -e 'suppressPackageStartupMessages(library(survival))' >/dev/null 2>&1; then
  apt_install r-base-core r-cran-survival
fi
[ -x /usr/bin/time ] || apt_install time
if ! python3 -c 'import lifelines, pyarrow' 2>/dev/null; then
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  # A Debian system Python refuses pip installs unless told otherwise (PEP 668).
  python3 -m pip install --quiet lifelines pyarrow \
    || python3 -m pip install --quiet --break-system-packages lifelines pyarrow
fi
(cd "$ROOT" && cargo build --release -p rwe --quiet)
RWE=$CARGO_TARGET_DIR/release/rwe

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "versions: $(Rscript -e 'cat(R.version.string, "survival", as.character(packageVersion("survival")))' 2>/dev/null);" \
     "lifelines $(python3 -c 'import lifelines; print(lifelines.__version__)'); $($RWE --version 2>/dev/null || echo rwe)"

# time_runs LABEL N CMD...: REPS runs; prints median and min–max wall seconds and the largest peak RSS (MiB).
time_runs() {
  local label=$1 n=$2; shift 2
  local walls=() rss=0 log
  log=$(mktemp)
  for _ in $(seq "$REPS"); do
    $NICE /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log"; return 1; }
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")")
    local r; r=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    [ "$r" -gt "$rss" ] && rss=$r
  done
  rm -f "$log"
  printf '%s\n' "${walls[@]}" | sort -g | awk -v l="$label" -v n="$n" -v rss="$rss" '
    {v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2;
      printf "whole %-22s n=%-10s median_s=%.3f min_s=%.3f max_s=%.3f peak_rss_MiB=%.0f\n", l, n, m, v[1], v[NR], rss/1024}'
}

for size in "${SIZES[@]}"; do
  n=$(python3 -c "print(int(float('$size')))")
  csv=$DATA/synth_$size.csv; pq=$DATA/synth_$size.parquet
  echo "== n=$n  load: $(uptime | sed 's/.*load average: //')"
  if [ "$n" -le 10000000 ]; then
    [ -f "$csv" ] || python3 "$ROOT/scripts/perf/gen_synth.py" "$n" "$csv"
  fi
  [ -f "$pq" ] || python3 "$ROOT/scripts/perf/gen_synth_parquet.py" "$n" "$pq"
  args=(--time time --event status --group group --at 365,730,1095 --format json)
  if [ "$n" -le 10000000 ]; then
    rwe_line=$(time_runs "rwe-km-csv" "$n" "$RWE" km "$csv" "${args[@]}"); echo "$rwe_line"
    r_line=$(time_runs "R-km-csv" "$n" Rscript "$ROOT/scripts/perf/km_r.R" "$csv"); echo "$r_line"
    py_line=$(time_runs "lifelines-km-csv" "$n" python3 "$ROOT/scripts/perf/km_lifelines.py" "$csv"); echo "$py_line"
    med() { sed 's/.*median_s=\([0-9.]*\).*/\1/' <<<"$1"; }
    awk -v a="$(med "$rwe_line")" -v r="$(med "$r_line")" -v p="$(med "$py_line")" -v n="$n" \
      'BEGIN {printf "ratio whole n=%s  R/rwe=%.1fx  lifelines/rwe=%.1fx\n", n, r/a, p/a}'
    $NICE Rscript "$ROOT/scripts/perf/compute_r.R" "$csv" "${COMPUTE_REPS:-3}"
    $NICE python3 "$ROOT/scripts/perf/compute_lifelines.py" "$csv" "${COMPUTE_REPS:-3}"
  fi
  time_runs "rwe-km-parquet" "$n" "$RWE" km "$pq" "${args[@]}"
  echo "parquet columns read: $n rows x 3 int32 = $((n * 12 / 1048576)) MiB in memory"
done

if [ "${BENCH_CRITERION:-0}" = 1 ]; then
  (cd "$ROOT" && $NICE cargo bench -p rwe-stats --bench survival 2>&1 | grep -E '^(km|logrank|cox|km-fractional)/|time:')
fi
