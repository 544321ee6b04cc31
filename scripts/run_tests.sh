#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the unit tests under
# AddressSanitizer and UndefinedBehaviorSanitizer first, then the whole suite
# (unit, end-to-end and Python) on the release build.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
install_missing
# (The Python module is left out: a sanitized module cannot load into an unsanitized Python.)
build build-asan -DFRAUDSIM_SANITIZE=ON -DFRAUDSIM_BUILD_BENCH=OFF -DFRAUDSIM_PYTHON_MODULE=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd "$FRAUDSIM_ROOT/build-asan" && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j 2 -E python_tests)
build build
cd "$FRAUDSIM_ROOT/build" && ctest --output-on-failure -j 2
