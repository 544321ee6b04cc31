#!/usr/bin/env bash
# Sweep overhead: the time of `fraudsim sweep` over the sum of the times of
# the same runs done one by one with `fraudsim run`, one process each (what a
# shell loop over the runs would cost), for 8 runs of the counterfactual
# sweep at each scale given; and the sweep's two ways of using 2 threads.
# Prints the figures of docs/performance.md. Each figure is the best of 3,
# wall and CPU (user + system) seconds apart: other processes on the machine
# only ever add time, and CPU time is the fairer measure when they do.
#   bash scripts/bench_sweep.sh [SCALE ...]      (default: 20000 2000)
# FRAUDSIM_BUILD_DIR names the build folder (default: build).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing
build_dir=${FRAUDSIM_BUILD_DIR:-build}
build "$build_dir" >/dev/null
bin="$FRAUDSIM_ROOT/$build_dir/fraudsim"
scales=("$@")
[ ${#scales[@]} -eq 0 ] && scales=(20000 2000)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TIMEFORMAT='%R %U %S'

# "wall cpu": the best of 3 of each, for a command; `prepare` runs before each try.
best_of_3() {
  local prepare=$1
  shift
  for _ in 1 2 3; do
    eval "$prepare"
    { time "$@" >/dev/null 2>&1; } 2>&1
  done | awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 } END { print w, c }'
}

# "wall cpu" summed over the listed runs, each a fraudsim run with the given threads.
single_runs() {
  local threads=$1
  while IFS= read -r command; do
    eval "set -- ${command#fraudsim run }"
    best_of_3 "" "$bin" run "$@" -o "$tmp/single.h5" --force --threads "$threads"
  done < "$tmp/runs.txt" | awk '{ w += $1; c += $2 } END { print w, c }'
}

sweep_runs() {
  best_of_3 'rm -rf "$tmp/out"' "$bin" sweep "$tmp/sweep.yaml" -o "$tmp/out" --shard "0/$shards" "$@"
}

row() { printf '  %-52s %8.2f %8.2f\n' "$1" $2; }

for scale in "${scales[@]}"; do
  sed -e "s|^base_scenario: .*|base_scenario: $FRAUDSIM_ROOT/scenarios/china_2019_2024.yaml|" \
      -e "s|^  scale: .*|  scale: $scale|" "$FRAUDSIM_ROOT/scenarios/sweeps/counterfactuals.yaml" > "$tmp/sweep.yaml"
  total=$("$bin" sweep "$tmp/sweep.yaml" --list | wc -l)
  shards=$(( total / 8 ))
  # Shard 0 of total/8 does runs 0, shards, 2 shards, ...: 8 runs (a few more if total is not a multiple of 8).
  "$bin" sweep "$tmp/sweep.yaml" --list | awk -v k="$shards" 'NR % k == 1' | sed 's/  # .*//' > "$tmp/runs.txt"
  runs=$(wc -l < "$tmp/runs.txt")
  single1=$(single_runs 1)
  sweep1=$(sweep_runs --threads 1)
  single2=$(single_runs 2)
  sweep2=$(sweep_runs --threads 2)
  serial2=$(sweep_runs --threads 2 --one-run-at-a-time)
  echo "scale $scale: $runs runs of the counterfactual sweep (of $total), best of 3"
  printf '  %-52s %8s %8s\n' "" wall_s cpu_s
  row "$runs x fraudsim run --threads 1, summed" "$single1"
  row "fraudsim sweep --threads 1" "$sweep1"
  row "$runs x fraudsim run --threads 2, summed" "$single2"
  row "fraudsim sweep --threads 2 (runs in parallel)" "$sweep2"
  row "fraudsim sweep --threads 2 --one-run-at-a-time" "$serial2"
  echo "$single1 $sweep1" | awk -v n="$runs" '{
    printf "  sweep overhead per run, 1 thread: %.3f s wall (%+.1f %%), %.3f s CPU (%+.1f %%)\n",
           ($3 - $1) / n, 100 * ($3 - $1) / $1, ($4 - $2) / n, 100 * ($4 - $2) / $2 }'
done
