#!/usr/bin/env bash
# bench/admission: admission latency (POST /admission/mutate over TLS) for a pod of 1 and of 8 distinct images,
# cold and cached, p50/p95. Usage: bash bench/admission/run.sh   (BENCH_COLD=10 BENCH_WARM=50; needs
# bash scripts/setup-env.sh for the engine and registry, and compiles dist/ for the CLI that attests the images)
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup-env.sh >&2
npx tsc -p tsconfig.json
exec npx tsx bench/admission/bench.ts
