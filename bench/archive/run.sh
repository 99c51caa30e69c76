#!/usr/bin/env bash
# Bench: the archive probe over a .tar.gz holding a safetensors file vs `gzip -dc | sha256sum`. Usage: run.sh [MIB] (200).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" && exec npx tsx bench/archive/bench.ts "${1:-200}"
