#!/usr/bin/env bash
# bench/dockerfile: Dockerfile analysis time on a RUN continued over N and 2N lines (ratio ~2 when linear), and on
# one 1.6 MB RUN line. Usage: bash bench/dockerfile/run.sh [N]   (default 16000; BENCH_REPS=5 interleaved runs per measure)
set -euo pipefail
cd "$(dirname "$0")/../.."
exec npx tsx bench/dockerfile/bench.ts "${1:-16000}"
