#!/usr/bin/env bash
# Fuzzes every input loader (tests/fuzz/fuzz_loaders.cpp) with libFuzzer
# under AddressSanitizer and UndefinedBehaviorSanitizer: scenario files, --set
# overrides, sweep files, resolved sweeps, calibration and targets files.
#
#   bash scripts/fuzz.sh [SECONDS]    default 60; CI runs the default
#
# Starts from tests/fuzz/corpus (and the files of tests/bad_input, if any) on
# a copy in a temporary folder: the tracked corpus does not change. One
# process, one thread. Exits 1 on a finding (crash, sanitizer report, an
# exception other than InputError, a malformed message, a hang of more than
# 10 s, more than 2 GB) and names the file that reproduces it:
#   build-fuzz/tests/fuzz/fraudsim_fuzz build-fuzz/findings/crash-...
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
seconds="${1:-60}"
install_missing

cmake -S "$FRAUDSIM_ROOT" -B "$FRAUDSIM_ROOT/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DFRAUDSIM_FUZZ=ON -DFRAUDSIM_BUILD_TESTS=OFF -DFRAUDSIM_BUILD_BENCH=OFF >/dev/null
cmake --build "$FRAUDSIM_ROOT/build-fuzz" --target fraudsim_fuzz -j "$(nproc)" >/dev/null
fuzzer="$FRAUDSIM_ROOT/build-fuzz/tests/fuzz/fraudsim_fuzz"
findings="$FRAUDSIM_ROOT/build-fuzz/findings"
mkdir -p "$findings"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
cp "$FRAUDSIM_ROOT"/tests/fuzz/corpus/* "$work/corpus/"
# The bad-input corpus, if there is one: each file behind the letter of its
# loader (the fuzz target reads the first byte as the loader).
if [ -d "$FRAUDSIM_ROOT/tests/bad_input" ]; then
  n=0
  while IFS= read -r -d '' file; do
    case "$file" in
      *targets*) loader=t ;;
      *calibrat*) loader=c ;;
      *sweep*) loader=w ;;
      *) loader=s ;;
    esac
    n=$((n + 1))
    { printf '%s\n' "$loader"; cat "$file"; } >"$work/corpus/bad_input_$n"
  done < <(find "$FRAUDSIM_ROOT/tests/bad_input" -type f -name '*.yaml' -print0)
fi

echo "fuzzing the input loaders for ${seconds} s (log: build-fuzz/fuzz.log)"
status=0
# TMPDIR: the target's own scratch folder goes inside $work and is removed with it.
(cd "$work" && TMPDIR="$work" "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=20000 -artifact_prefix="$findings/" -print_final_stats=1 corpus </dev/null) \
  >"$FRAUDSIM_ROOT/build-fuzz/fuzz.log" 2>&1 || status=$?

grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
  "$FRAUDSIM_ROOT/build-fuzz/fuzz.log" || true
if [ "$status" -ne 0 ]; then
  grep -E -A3 'fuzz finding|ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error' \
    "$FRAUDSIM_ROOT/build-fuzz/fuzz.log" | head -20 >&2 || true
  artifact="$(grep -o "Test unit written to .*" "$FRAUDSIM_ROOT/build-fuzz/fuzz.log" | tail -1 | cut -d' ' -f5-)"
  echo "FUZZ FINDING (exit $status). Reproduce with: $fuzzer ${artifact:-<see build-fuzz/fuzz.log>}" >&2
  exit 1
fi
echo "no finding"
