#!/usr/bin/env bash
# bench/build: `mlbuild build` vs plain `docker build` of examples/ml-service with a generated model repository
# (default 1 GiB) served over git HTTP, measured in the same run: (a) mlbuild build's overhead beyond its own SBOM scan
# (target < 1 s) and (b) the scan time an app-only rebuild adds vs the first scan (target <= 0.2, layer cache).
# Usage: bash bench/build/run.sh [MODEL_MIB]   (BENCH_REPS=3 runs per measure; needs bash scripts/setup-env.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
MIB=${1:-1024}
bash scripts/setup-env.sh >&2
npx tsc -p tsconfig.json
exec npx tsx bench/build/bench.ts "$MIB"
