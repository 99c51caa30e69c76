# bench/sbom/image.sh (sourced): sets DOCKER, WORK, IMAGE; builds the bench image — a Debian base with a MIB MiB model
# in 4 safetensors shards plus a model card — once, and saves it to $WORK/image.tar. Needs MIB set.
DOCKER=/usr/bin/docker
WORK=${BENCH_DIR:-/var/tmp/mlbuild-bench-sbom}
IMAGE=mlbuild-bench/sbom:latest
mkdir -p "$WORK"
bash scripts/setup-env.sh >&2
npx tsc -p tsconfig.json
if ! $DOCKER image inspect "$IMAGE" >/dev/null 2>&1 || [ "$(cat "$WORK/mib" 2>/dev/null)" != "$MIB" ]; then
  rm -rf "$WORK/ctx" && mkdir -p "$WORK/ctx/model"
  node bench/sbom/make-model.mjs "$WORK/ctx/model" "$MIB"
  printf 'FROM mlbuild-test/debian:bookworm\nCOPY model /models/bench-org/bench-model\nRUN echo app > /app.txt\n' > "$WORK/ctx/Dockerfile"
  DOCKER_BUILDKIT=1 $DOCKER build --network host -q -t "$IMAGE" "$WORK/ctx" >/dev/null
  echo "$MIB" > "$WORK/mib"
  rm -f "$WORK/image.tar"
fi
[ -f "$WORK/image.tar" ] || $DOCKER save "$IMAGE" -o "$WORK/image.tar"
