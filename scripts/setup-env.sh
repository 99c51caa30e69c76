#!/usr/bin/env bash
# Prepares the real-parts test environment for mlbuild's integration tests (see DESIGN.md "Test environment"):
# Docker engine (dockerd 20.10 + BuildKit), two CNCF distribution 2.8 registries on 127.0.0.1, and the base images
# mlbuild-test/busybox:latest and mlbuild-test/debian:bookworm; podman and sshd for the tests of other engines
# (installed only, never started: those tests run their own on temp sockets/ports). Idempotent: every step is
# skipped when already done.
# Progress goes to stderr. Writes $MLBUILD_TEST_ENV_FILE (default /tmp/mlbuild-test-env.json).
set -euo pipefail

DOCKER=/usr/bin/docker
STATE_DIR=${MLBUILD_TEST_STATE_DIR:-/var/lib/mlbuild-test}
CACHE_DIR=${MLBUILD_TEST_CACHE_DIR:-/var/cache/mlbuild-test}
ENV_FILE=${MLBUILD_TEST_ENV_FILE:-/tmp/mlbuild-test-env.json}
DOCKERD_LOG=/tmp/mlbuild-dockerd.log
APT_LOG=/tmp/mlbuild-apt.log
REG_PORT=5000
AUTH_PORT=5001
REG_USER=mlbuild
REG_PASS=mlbuild-test
BUSYBOX_IMAGE=mlbuild-test/busybox:latest
DEBIAN_IMAGE=mlbuild-test/debian:bookworm
DEBIAN_TAR=$CACHE_DIR/debian-bookworm-minbase.tar
START=$(date +%s)

log() { printf '[setup-env %3ss] %s\n' "$(($(date +%s) - START))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

write_env_file() {
  cat >"$ENV_FILE.tmp" <<EOF
{
  "docker": "$DOCKER",
  "registry": "127.0.0.1:$REG_PORT",
  "authRegistry": "127.0.0.1:$AUTH_PORT",
  "authUser": "$REG_USER",
  "authPassword": "$REG_PASS",
  "images": { "busybox": "$BUSYBOX_IMAGE", "debian": "$DEBIAN_IMAGE" },
  "stateDir": "$STATE_DIR"
}
EOF
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

http_code() { curl -s -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null || true; }
docker_up() { "$DOCKER" info >/dev/null 2>&1; }
image_present() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# ---- packages: apt helper ---------------------------------------------------------------------------------------
APT_UPDATED=0
apt_install() {
  [ $# -gt 0 ] || return 0
  if [ "$APT_UPDATED" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$APT_LOG" 2>&1 || log "apt-get update reported errors (continuing; log: $APT_LOG)"
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  # Keep maintainer scripts from starting services (docker.service, a registry on 0.0.0.0:5000): this script
  # starts its own, on 127.0.0.1. Same trick as in container images; removed again afterwards.
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1
  fi
  local rc=0
  # With recommends, as in the known-good setup (docker.io recommends cgroupfs-mount, xz-utils, apparmor...).
  # APT_NO_RECOMMENDS=1 for the optional engine tools (keeps their install to a few packages).
  local rec=()
  [ "${APT_NO_RECOMMENDS:-0}" = 1 ] && rec=(--no-install-recommends)
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -q "${rec[@]}" "$@" >>"$APT_LOG" 2>&1 || rc=$?
  [ "$own_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || { tail -n 30 "$APT_LOG" >&2; die "apt-get install $* failed ($rc); log: $APT_LOG"; }
}

# Podman (Docker API on a socket) and sshd (ssh:// engines) for the engine tests, skopeo for the gate tests; no recommends (buildah, slirp4netns,
# fuse-overlayfs... are not needed: the tests run rootful podman with vfs storage and host networking).
engine_tools_missing() {
  local m=()
  command -v podman >/dev/null 2>&1 || m+=(podman)
  command -v skopeo >/dev/null 2>&1 || m+=(skopeo) # the gate tests copy through the gate with skopeo
  [ -x /usr/sbin/sshd ] || m+=(openssh-server)
  echo "${m[@]}"
}
ensure_engine_tools() {
  local missing
  missing=$(engine_tools_missing)
  if [ -z "$missing" ]; then log "podman, skopeo, sshd: present"; return 0; fi
  if [ "$(id -u)" != 0 ]; then log "not root: $missing not installed (their engine tests will skip)"; return 0; fi
  # Optional: a failed install (no apt mirror) must not stop the other tests; the engine tests then skip.
  # shellcheck disable=SC2086
  (APT_NO_RECOMMENDS=1 apt_install $missing) || log "$missing could not be installed (their engine tests will skip)"
}

# Fast path (also works without root): everything already answers.
if command -v curl >/dev/null 2>&1 && command -v git >/dev/null 2>&1 && [ -x "$DOCKER" ] && docker_up \
  && [ "$(http_code "http://127.0.0.1:$REG_PORT/v2/")" = 200 ] && [ "$(http_code "http://127.0.0.1:$AUTH_PORT/v2/")" = 401 ] \
  && image_present "$BUSYBOX_IMAGE" && image_present "$DEBIAN_IMAGE"; then
  ensure_engine_tools
  write_env_file
  log "ready: engine, registries 127.0.0.1:$REG_PORT and :$AUTH_PORT, base images all present"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "must run as root (installs packages, starts dockerd, writes $STATE_DIR)"

want=()
have_docker_engine=0
if [ -x "$DOCKER" ] && docker_up; then have_docker_engine=1; fi
if [ "$have_docker_engine" = 0 ]; then
  [ -x "$DOCKER" ] && command -v dockerd >/dev/null 2>&1 || want+=(docker.io)
fi
[ -x /usr/bin/docker-registry ] || want+=(docker-registry)
command -v mmdebstrap >/dev/null 2>&1 || want+=(mmdebstrap)
command -v htpasswd >/dev/null 2>&1 || want+=(apache2-utils)
command -v git >/dev/null 2>&1 || want+=(git)
command -v zstd >/dev/null 2>&1 || want+=(zstd)
command -v zip >/dev/null 2>&1 || want+=(zip) # archive probe tests (jar-like and encrypted zips)
compgen -G '/usr/share/python-wheels/*.whl' >/dev/null || want+=(python3-pip-whl) # a real wheel for the archive tests
command -v openssl >/dev/null 2>&1 || want+=(openssl)
command -v curl >/dev/null 2>&1 || want+=(curl)
[ -e /etc/ssl/certs/ca-certificates.crt ] || want+=(ca-certificates)
[ -x /bin/busybox ] || want+=(busybox-static)
if [ ${#want[@]} -gt 0 ]; then apt_install "${want[@]}"; else log "packages: all present"; fi
ensure_engine_tools

# The static busybox is needed for the image (a dynamic one would need its libc in the image).
if ! (LC_ALL=C ldd /bin/busybox 2>&1 || true) | grep -qiE 'not a dynamic|statically'; then
  log "/bin/busybox is dynamically linked; installing busybox-static"
  apt_install busybox-static
fi

# ---- docker engine --------------------------------------------------------------------------------------------
if docker_up; then
  log "docker: engine answering ($("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
else
  start_dockerd() { # extra dockerd args...
    log "docker: starting dockerd $* (log: $DOCKERD_LOG)"
    # shellcheck disable=SC2086
    setsid nohup dockerd ${MLBUILD_DOCKERD_ARGS:-} "$@" >"$DOCKERD_LOG" 2>&1 </dev/null &
    local pid=$!
    for _ in $(seq 1 60); do
      docker_up && return 0
      kill -0 "$pid" 2>/dev/null || return 1
      sleep 1
    done
    return 1
  }
  if ! start_dockerd && grep -qi iptables "$DOCKERD_LOG"; then
    tail -n 15 "$DOCKERD_LOG" >&2 || true
    cp "$DOCKERD_LOG" "$DOCKERD_LOG.1"
    start_dockerd --iptables=false --ip-masq=false || true
  fi
  docker_up || { tail -n 30 "$DOCKERD_LOG" >&2 || true; die "dockerd did not answer within 60 s"; }
  log "docker: engine up"
fi

# ---- registries -----------------------------------------------------------------------------------------------
write_registry_config() { # port auth(0|1)
  local port=$1 auth=$2 conf=$STATE_DIR/registry-$1.yml
  mkdir -p "$STATE_DIR/registry-$port"
  {
    echo "version: 0.1"
    echo "log:"
    echo "  level: warn"
    echo "  fields: {service: registry-$port}"
    echo "storage:"
    echo "  filesystem:"
    echo "    rootdirectory: $STATE_DIR/registry-$port"
    echo "  delete:"
    echo "    enabled: true"
    echo "  maintenance:"
    echo "    uploadpurging: {enabled: false}"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    echo "  secret: mlbuild-test-secret-$port"
    echo "  headers:"
    echo "    X-Content-Type-Options: [nosniff]"
    if [ "$auth" = 1 ]; then
      echo "auth:"
      echo "  htpasswd:"
      echo "    realm: mlbuild-test"
      echo "    path: $STATE_DIR/htpasswd"
    fi
  } >"$conf.tmp"
  mv "$conf.tmp" "$conf"
}

start_registry() { # port auth(0|1) expected-code
  local port=$1 auth=$2 expect=$3 code
  code=$(http_code "http://127.0.0.1:$port/v2/")
  if [ "$code" = "$expect" ]; then log "registry 127.0.0.1:$port: answering ($code)"; return 0; fi
  [ "$code" = 000 ] || die "127.0.0.1:$port answers /v2/ with $code, expected $expect: port taken by something else"
  write_registry_config "$port" "$auth"
  log "registry 127.0.0.1:$port: starting (log: /tmp/mlbuild-registry-$port.log)"
  setsid nohup /usr/bin/docker-registry serve "$STATE_DIR/registry-$port.yml" \
    >"/tmp/mlbuild-registry-$port.log" 2>&1 </dev/null &
  echo $! >"$STATE_DIR/registry-$port.pid"
  for _ in $(seq 1 50); do
    [ "$(http_code "http://127.0.0.1:$port/v2/")" = "$expect" ] && { log "registry 127.0.0.1:$port: up"; return 0; }
    sleep 0.2
  done
  tail -n 20 "/tmp/mlbuild-registry-$port.log" >&2 || true
  die "registry on 127.0.0.1:$port did not come up"
}

mkdir -p "$STATE_DIR" "$CACHE_DIR"
if ! [ -s "$STATE_DIR/htpasswd" ] || ! htpasswd -vb "$STATE_DIR/htpasswd" "$REG_USER" "$REG_PASS" >/dev/null 2>&1; then
  htpasswd -Bbc "$STATE_DIR/htpasswd" "$REG_USER" "$REG_PASS" 2>/dev/null
fi
start_registry "$REG_PORT" 0 200
start_registry "$AUTH_PORT" 1 401

# ---- base images ----------------------------------------------------------------------------------------------
if image_present "$BUSYBOX_IMAGE"; then
  log "image $BUSYBOX_IMAGE: present"
else
  log "image $BUSYBOX_IMAGE: building from /bin/busybox"
  work=$(mktemp -d)
  mkdir -p "$work/rootfs/bin" "$work/rootfs/etc" "$work/rootfs/tmp" "$work/rootfs/root" "$work/rootfs/usr/bin"
  chmod 1777 "$work/rootfs/tmp"
  cp /bin/busybox "$work/rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$work/rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$work/rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$work/rootfs/etc/group"
  tar -C "$work/rootfs" --numeric-owner --owner=0 --group=0 -cf "$work/rootfs.tar" .
  "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["sh"]' \
    "$work/rootfs.tar" "$BUSYBOX_IMAGE" >/dev/null
  rm -rf "$work"
  log "image $BUSYBOX_IMAGE: done"
fi

if image_present "$DEBIAN_IMAGE"; then
  log "image $DEBIAN_IMAGE: present"
else
  if [ -s "$DEBIAN_TAR" ]; then
    log "image $DEBIAN_IMAGE: importing cached $DEBIAN_TAR"
  else
    log "image $DEBIAN_IMAGE: mmdebstrap minbase bookworm (+git,python3,ca-certificates; ~35 s)"
    rm -rf "$DEBIAN_TAR.partial"
    mmdebstrap --quiet --format=tar --variant=minbase --include=git,python3,ca-certificates \
      --aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Check-Date "false"' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
      bookworm "$DEBIAN_TAR.partial" "${MLBUILD_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >&2
    mv "$DEBIAN_TAR.partial" "$DEBIAN_TAR"
  fi
  "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    "$DEBIAN_TAR" "$DEBIAN_IMAGE" >/dev/null
  log "image $DEBIAN_IMAGE: done"
fi

# ---- env file -------------------------------------------------------------------------------------------------
write_env_file
log "ready (env: $ENV_FILE)"
