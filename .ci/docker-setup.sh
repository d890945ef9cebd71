#!/usr/bin/env bash
# A Docker Engine for the docker plugin's tests (test/plugins/docker): installs Debian's docker.io and
# busybox-static when missing (the tests build their image from busybox-static; no registry is needed),
# and starts dockerd in the background when no Engine answers, waiting (bounded) until `docker info` works.
# Idempotent: on a machine with a running Engine it only checks.
set -euo pipefail

WAIT_SECONDS="${DOCKER_SETUP_WAIT_SECONDS:-60}"
LOG="${DOCKER_SETUP_LOG:-/tmp/mcp-host-dockerd.log}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

static_busybox() {
  for path in /bin/busybox /usr/bin/busybox; do
    if [ -x "$path" ] && ! (command -v ldd >/dev/null 2>&1 && ldd "$path" 2>/dev/null | grep -q '=>'); then return 0; fi
  done
  return 1
}

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
static_busybox || missing+=(busybox-static)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "ci: installing ${missing[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

if docker info >/dev/null 2>&1; then
  echo "ci: Docker Engine $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?') answers"
  exit 0
fi

echo "ci: starting dockerd (log: $LOG)"
as_root sh -c "nohup dockerd >'$LOG' 2>&1 &"
for _ in $(seq 1 "$WAIT_SECONDS"); do
  if docker info >/dev/null 2>&1; then
    echo "ci: Docker Engine $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?') answers"
    exit 0
  fi
  sleep 1
done
echo "ci: dockerd did not answer within ${WAIT_SECONDS} s; last lines of $LOG:" >&2
tail -n 30 "$LOG" >&2 || true
exit 1
