#!/usr/bin/env bash
# bench/gate: the registry gate against the real registry (127.0.0.1:5000): cold decision latency p50/p95 (a real
# image SBOM, about 7k components with the debian base, and a 50k-file SBOM), cache-hit latency p50/p99 with the
# upstream calls counted, 100 concurrent pulls of one new digest (verifications counted), blob throughput through
# the gate vs direct, and the gate process's peak RSS under 200 concurrent blob streams. Prints figures only.
# Usage: bash bench/gate/run.sh   (BENCH_REPS=20 cold decisions per SBOM; BENCH_BLOB_MIB=256; needs scripts/setup-env.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup-env.sh >&2
npx tsc -p tsconfig.json
exec npx tsx bench/gate/bench.ts
