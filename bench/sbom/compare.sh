#!/usr/bin/env bash
# bench/sbom/compare.sh: this checkout's `mlbuild sbom` against an earlier revision's, on the bench/sbom image, in the
# same run (interleaved, best of REPS): what a change costs (e.g. content identification and ownership).
# Usage: bash bench/sbom/compare.sh BASE_REV [MODEL_MIB]   (run bench/sbom/run.sh once first, or it builds the image)
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=${1:?usage: compare.sh BASE_REV [MODEL_MIB]}
MIB=${2:-2048}
# shellcheck source=bench/sbom/image.sh
source bench/sbom/image.sh
BASEDIR="$WORK/base-$(git rev-parse --short "$BASE")"
if [ ! -d "$BASEDIR" ]; then
  git worktree add -f --detach "$BASEDIR" "$BASE" >&2
  ln -s "$PWD/node_modules" "$BASEDIR/node_modules"
  (cd "$BASEDIR" && npx tsc -p tsconfig.json) >&2
fi
# Wall seconds, and CPU seconds (user+sys, less sensitive to a busy machine) in $WORK/cpu.
secs() {
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$WORK/cpu.raw" "$@" >/dev/null 2>"$WORK/last.err" || { cat "$WORK/last.err" >&2; return 1; }
  end=$(date +%s.%N)
  awk '{print $1 + $2}' "$WORK/cpu.raw" > "$WORK/cpu"
  echo "$end - $start" | bc -l
}
best() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
cat "$WORK/image.tar" >/dev/null
REPS=${REPS:-3}
T_BASE=; T_NOW=; C_BASE=; C_NOW=
for _ in $(seq 1 "$REPS"); do
  T_BASE=$(best "$T_BASE" "$(secs node "$BASEDIR/bin/mlbuild" sbom --no-cache -o "$WORK/sbom-base.json" "docker-archive:$WORK/image.tar")")
  C_BASE=$(best "$C_BASE" "$(cat "$WORK/cpu")")
  T_NOW=$(best "$T_NOW" "$(secs node bin/mlbuild sbom --no-cache -o "$WORK/sbom-now.json" "docker-archive:$WORK/image.tar")")
  C_NOW=$(best "$C_NOW" "$(cat "$WORK/cpu")")
done
echo "bench/sbom/compare: docker-archive sbom, $(($(stat -c %s "$WORK/image.tar") / 1048576)) MiB archive, best of $REPS"
printf '%-24s %10s %10s\n' "" "wall s" "cpu s"
printf '%-24s %10.2f %10.2f\n' "base $(git rev-parse --short "$BASE")" "$T_BASE" "$C_BASE" "this checkout" "$T_NOW" "$C_NOW"
printf 'ratio this/base: wall %s, cpu %s (target <= 1.10)\n' "$(echo "scale=3; $T_NOW / $T_BASE" | bc -l)" "$(echo "scale=3; $C_NOW / $C_BASE" | bc -l)"
