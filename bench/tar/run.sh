#!/usr/bin/env bash
# bench/tar: hand-written tar parser vs tar-stream on the bench/sbom image's layers (run bench/sbom/run.sh first).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${BENCH_DIR:-/var/tmp/mlbuild-bench-sbom}
[ -f "$WORK/image.tar" ] || { echo "run bash bench/sbom/run.sh first (it makes $WORK/image.tar)" >&2; exit 2; }
npx tsc -p tsconfig.json
rm -rf "$WORK/layers" && mkdir -p "$WORK/layers"
tar -xf "$WORK/image.tar" -C "$WORK/layers"
mapfile -t LAYERS < <(node -e "const m=require('$WORK/layers/manifest.json');for(const l of m[0].Layers)console.log('$WORK/layers/'+l)")
node bench/tar/compare.mjs "${LAYERS[@]}"
