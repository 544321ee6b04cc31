#!/usr/bin/env bash
# Prints the benchmark table of docs/performance.md: the reference scenario
# at several scales with 1 and 2 threads, one process per row.
#   bash scripts/bench.sh [SCALE ...]      (default: 1000 100)
# FRAUDSIM_BUILD_DIR names the build folder (default: build).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing
build_dir=${FRAUDSIM_BUILD_DIR:-build}
build "$build_dir" >/dev/null
scales=("$@")
[ ${#scales[@]} -eq 0 ] && scales=(1000 100)
printf '%8s %7s %12s %9s %8s %14s %14s %14s %10s %9s %8s\n' scale threads residents wall_s setup_s \
  resident_d/s contacts/s contacts/s_ph peak_MiB B/resident cpu_s
for scale in "${scales[@]}"; do
  for threads in 1 2; do
    "$FRAUDSIM_ROOT/$build_dir/bench/fraudsim_bench" "$FRAUDSIM_ROOT/scenarios/china_2019_2024.yaml" "$scale" "$threads" --phases
  done
done
