#!/usr/bin/env bash
# Regenerates the parts of docs/ that are generated from the code.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${FRAUDSIM_BINARY:-$root/build/fraudsim}"
{
  cat "$root/docs/scenario.head.md"
  "$binary" schema
} > "$root/docs/scenario.md"
echo "wrote $root/docs/scenario.md"
