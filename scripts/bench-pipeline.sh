#!/usr/bin/env bash
# `rwe run` end to end: the seed study and synthetic cohorts of growing size.
#
#   scripts/bench-pipeline.sh [SIZES...]        default: 1e5 1e6
#
# Builds rwe in release mode, then
#   * runs the seed study (examples/blinatumomab/study.toml: 96 patients, Tables 1-3, Figures 1-2) SEED_REPS
#     times (default 10) and prints the median, min and max wall seconds and the largest peak RSS;
#   * for each size N, writes a synthetic cohort with `rwe synth --patients N --seed 1` (once, kept under
#     BENCH_DATA) and runs `rwe run DIR/study.toml` REPS times (default 1) under /usr/bin/time -v: wall
#     seconds, CPU seconds and peak RSS. `rwe synth` writes a spec without tables or figures, so this times
#     validation, derivation and the data files; with TABLES=1 the same cohort is also run with the seed
#     study's tables and figures (its spec with the synthetic inputs, without the reproduction appendix);
#     with STUDY_CMDS=1 `rwe validate` and `rwe derive` are timed on the cohort too.
# `uptime` is printed before each measurement: on a shared 2-core machine the load matters. Set
# NICE="nice -n 10" to lower the priority of every timed command; RWE_BIN to time another rwe binary.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${BENCH_DATA:-$ROOT/target/bench-data}
REPS=${REPS:-1}
SEED_REPS=${SEED_REPS:-10}
NICE=${NICE:-}
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(1e5 1e6)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$DATA"
[ -x /usr/bin/time ] || { apt-get update && apt-get install -y time; }
# RWE_BIN=path/to/rwe measures that binary instead (for example an earlier build, for a before/after).
if [ -n "${RWE_BIN:-}" ]; then
  RWE=$RWE_BIN
else
  (cd "$ROOT" && cargo build --release -p rwe --quiet)
  RWE=$CARGO_TARGET_DIR/release/rwe
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $($RWE --version 2>/dev/null || echo rwe)"

# measure LABEL N CMD...: N runs; prints median, min and max wall seconds, median CPU seconds (user + system)
# and the largest peak RSS (MiB).
measure() {
  measure_cmd --out "$@"
}

# measure_cmd --out|--no-out LABEL N CMD...: as measure; with --no-out CMD gets no --out argument.
measure_cmd() {
  local out_args=()
  [ "$1" = --out ] && out_args=(--out "$OUT/report")
  shift
  local label=$1 n=$2; shift 2
  local walls=() cpus=() rss=0 log
  log=$(mktemp)
  for _ in $(seq "$n"); do
    rm -rf "$OUT/report"
    $NICE /usr/bin/time -v "$@" "${out_args[@]}" >/dev/null 2>"$log" || { cat "$log"; return 1; }
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {k=split($2,a,":"); s=0; for(i=1;i<=k;i++) s=s*60+a[i]; print s}' "$log")")
    cpus+=("$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$log")")
    local r; r=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    [ "$r" -gt "$rss" ] && rss=$r
  done
  rm -f "$log"
  local cpu; cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{v[NR]=$1} END {print (NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2}')
  printf '%s\n' "${walls[@]}" | sort -g | awk -v l="$label" -v n="$n" -v rss="$rss" -v cpu="$cpu" '
    {v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2;
      printf "%-26s runs=%-3s median_wall_s=%.2f min_s=%.2f max_s=%.2f cpu_s=%.1f peak_rss_MiB=%.0f\n",
        l, n, m, v[1], v[NR], cpu, rss/1024}'
}

echo "== seed study  load: $(uptime | sed 's/.*load average: //')"
measure "seed-study" "$SEED_REPS" "$RWE" run "$ROOT/examples/blinatumomab/study.toml"

for size in "${SIZES[@]}"; do
  n=$(python3 -c "print(int(float('$size')))")
  dir=$DATA/pipeline_$size
  [ -f "$dir/study.toml" ] || "$RWE" synth --patients "$n" --seed 1 --out "$dir" >/dev/null
  echo "== n=$n patients ($(du -shL "$dir" | cut -f1) of CSV)  load: $(uptime | sed 's/.*load average: //')"
  measure "run-$size" "$REPS" "$RWE" run "$dir/study.toml"
  if [ "${STUDY_CMDS:-0}" = 1 ]; then
    measure_cmd --no-out "validate-$size" "$REPS" "$RWE" validate "$dir/study.toml"
    measure "derive-$size" "$REPS" "$RWE" derive "$dir/study.toml"
  fi
  if [ "${TABLES:-0}" = 1 ]; then
    # The seed study's declarations on the synthetic inputs (same file names), without the oracle.
    spec=$dir/study_tables.toml
    python3 - "$ROOT/examples/blinatumomab/study.toml" "$spec" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'(?m)^(\w+) = "data/', r'\1 = "', text)
text = re.sub(r'(?ms)^\[reproduction\]\n.*?\n\n', '', text)
open(sys.argv[2], 'w').write(text)
EOF
    echo "   load: $(uptime | sed 's/.*load average: //')"
    measure "run-$size-tables" "$REPS" "$RWE" run "$spec"
  fi
done
