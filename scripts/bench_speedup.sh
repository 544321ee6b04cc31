#!/usr/bin/env bash
# The speedup of 2 threads over 1 at one agent per 100 people (the target of
# docs/performance.md is at least 1.8), with peak memory per resident: the
# best wall time of 3 runs each, one process per run. Prints one line.
#   bash scripts/bench_speedup.sh [SCALE]    (default: 100)
# FRAUDSIM_BUILD_DIR names the build folder (default: build); FRAUDSIM_BENCH_SCENARIO
# another scenario file (default: scenarios/china_2019_2024.yaml).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing
build_dir=${FRAUDSIM_BUILD_DIR:-build}
build "$build_dir" >/dev/null
bench="$FRAUDSIM_ROOT/$build_dir/bench/fraudsim_bench"
scale=${1:-100}
scenario=${FRAUDSIM_BENCH_SCENARIO:-$FRAUDSIM_ROOT/scenarios/china_2019_2024.yaml}
best() {
  for _ in 1 2 3; do "$bench" "$scenario" "$scale" "$1"; done | sort -g -k4 | head -1
}
one=$(best 1)
two=$(best 2)
awk -v one="$one" -v two="$two" -v load="$(cut -d' ' -f1 /proc/loadavg)" -v scale="$scale" 'BEGIN {
  split(one, a, " +"); split(two, b, " +")
  # fields (after a leading blank): scale threads residents wall setup ... peak_MiB B/resident
  printf "scale %s: 1 thread %.2f s, 2 threads %.2f s, speedup %.2f (target 1.8); peak %.1f B/resident (target 16); load average %s\n",
         scale, a[5], b[5], a[5] / b[5], b[11], load
}'
