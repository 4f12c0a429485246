#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing (redis-server, the npm tools),
# creates a throw-away test CA, starts redis-server on a free loopback port, runs the whole
# solution's tests, and stops what it started.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

say() { printf '==> %s\n' "$*"; }

if ! command -v redis-server >/dev/null 2>&1; then
  say "installing redis-server"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi
for tool in node npm openssl dotnet python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool: install it first" >&2; exit 1; }
done

say "installing npm tools (tests/js)"
npm ci --prefix tests/js --no-audit --no-fund --loglevel=error >/dev/null

work=$(mktemp -d)
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

say "creating a throw-away test CA"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=TeamsAlertBot test CA/O=TeamsAlertBot tests" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
# The system bundle stays trusted (restore needs it); the test CA is added for the loopback fakes.
system_bundle=/etc/ssl/certs/ca-certificates.crt
cat "$system_bundle" "$work/ca.pem" > "$work/bundle.pem" 2>/dev/null || cp "$work/ca.pem" "$work/bundle.pem"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
say "starting redis-server on 127.0.0.1:$port"
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 50); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done

export TEST_REDIS="127.0.0.1:$port"
export TEST_CA_CERT="$work/ca.pem" TEST_CA_KEY="$work/ca.key" SSL_CERT_FILE="$work/bundle.pem"

say "running tests"
set +e
dotnet test --solution TeamsAlertBot.sln "$@" 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line for any reader of the log: the sums over every test project.
passed=$(grep -E '^[[:space:]]+succeeded: [0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^[[:space:]]+failed: [0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
echo "$passed passed, $failed failed"
exit "$status"
