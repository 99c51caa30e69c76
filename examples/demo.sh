#!/usr/bin/env bash
# The main job end to end on embedded defaults (see README): installs what is missing, then runs examples/demo.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund >&2
bash scripts/setup-env.sh >&2
npx tsc -p tsconfig.json >&2 || true
exec npx tsx examples/demo.ts
