#!/usr/bin/env bash
# Installs what is missing, builds, runs the reference scenario, and plots
# its monthly registered cases. Extra arguments go to `fraudsim run`.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing
build build
mkdir -p "$FRAUDSIM_ROOT/results"
out="$FRAUDSIM_ROOT/results/china_2019_2024.h5"
"$FRAUDSIM_ROOT/build/fraudsim" run "$FRAUDSIM_ROOT/scenarios/china_2019_2024.yaml" -o "$out" --force "$@"
PYTHONPATH="$FRAUDSIM_ROOT/analysis" "$PYTHON" -m fraudsim_analysis plot-cases "$out" \
  -o "$FRAUDSIM_ROOT/results/china_2019_2024_registered_cases.png" >/dev/null
echo "HDF5 results: $out"
echo "plot:         $FRAUDSIM_ROOT/results/china_2019_2024_registered_cases.png"
