#!/usr/bin/env bash
# How time and memory grow with scale: the reference scenario from 1:10,000
# to 1:10 (141 million resident agents), 1 and 2 threads, one process per
# run, the best wall time of N tries. Writes the table to
# docs/performance_scaling.txt and the plot docs/performance_scaling.png.
#   bash scripts/bench_scaling.sh [TRIES] [SCALE ...]   (default: 3; 10000 3000 1000 300 100 30 10)
# FRAUDSIM_BUILD_DIR names the build folder (default: build); FRAUDSIM_BENCH_SCENARIO
# another scenario file (default: scenarios/china_2019_2024.yaml).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing
build_dir=${FRAUDSIM_BUILD_DIR:-build}
build "$build_dir" >/dev/null
bench="$FRAUDSIM_ROOT/$build_dir/bench/fraudsim_bench"
tries=${1:-3}
shift || true
scales=("$@")
[ ${#scales[@]} -eq 0 ] && scales=(10000 3000 1000 300 100 30 10)
scenario=${FRAUDSIM_BENCH_SCENARIO:-$FRAUDSIM_ROOT/scenarios/china_2019_2024.yaml}
out="$FRAUDSIM_ROOT/docs/performance_scaling.txt"
{
  printf '# %s, %s, load average before: %s\n' "$(date -u +%Y-%m-%d)" "$(git -C "$FRAUDSIM_ROOT" rev-parse --short HEAD)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%8s %7s %12s %9s %8s %14s %14s %14s %10s %9s %8s\n' scale threads residents wall_s setup_s \
    resident_d/s contacts/s contacts/s_ph peak_MiB B/resident cpu_s
  for scale in "${scales[@]}"; do
    for threads in 1 2; do
      for _ in $(seq "$tries"); do
        "$bench" "$scenario" "$scale" "$threads"
      done | sort -g -k4 | head -1
    done
  done
} | tee "$out"
"$PYTHON" "$FRAUDSIM_ROOT/bench/plot_scaling.py" "$out" "$FRAUDSIM_ROOT/docs/performance_scaling.png"
