#!/usr/bin/env bash
# Run a command against a throwaway Redis (Debian's redis-server): loopback at a free
# port, nothing written to disk, export REDIS_URL, stop it afterwards. Used by
# `make test-postgres` so that the PostgreSQL run also runs the shared-cache paths.
set -euo pipefail
command -v redis-server >/dev/null || {
  echo "redis-server not found: run \`make system-deps\` (apt-get install redis-server)" >&2
  exit 1
}
tmp=$(mktemp -d /tmp/ocop-redis.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$tmp" \
  --daemonize yes --pidfile "$tmp/redis.pid" --logfile "$tmp/redis.log"
cleanup() {
  [ -f "$tmp/redis.pid" ] && kill "$(cat "$tmp/redis.pid")" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
for _ in $(seq 50); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$port"
export REDIS_URL="redis://127.0.0.1:$port/0"
"$@"
