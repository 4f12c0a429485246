#!/usr/bin/env bash
# Runs the end-to-end latency bench (bench/TeamsAlertBot.Bench) in Release, set up the way
# build/test.sh sets up the integration tests: a throw-away test CA trusted through SSL_CERT_FILE,
# redis-server on a free loopback port. Stops what it started, by PID. Every request stays on
# loopback. Arguments go to the bench (bench/run.sh --help lists them), e.g.
#   bench/run.sh --iterations 200 --markdown /tmp/bench.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

say() { printf '==> %s\n' "$*" >&2; }

if ! command -v redis-server >/dev/null 2>&1; then
  say "installing redis-server"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi
for tool in redis-cli openssl dotnet python3 git timeout; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool: install it first" >&2; exit 1; }
done

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

say "building the bench (Release)"
dotnet build bench/TeamsAlertBot.Bench -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

say "creating a throw-away test CA"
# The same subject as build/test.sh's CA: the fakes' webhook signing certificate names it as issuer.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=TeamsAlertBot test CA/O=TeamsAlertBot tests" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
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
# What was measured, for the report: the commit, and whether the tree differed from it.
BENCH_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src tests bench 2>/dev/null)" ]; then BENCH_COMMIT="$BENCH_COMMIT + uncommitted changes"; fi
export BENCH_COMMIT

say "running the bench"
# A hard ceiling on the whole run, whatever the options; the bench has its own per-step timeouts.
timeout --foreground "${BENCH_TIME_LIMIT:-900}" \
  dotnet bench/TeamsAlertBot.Bench/bin/Release/net10.0/TeamsAlertBot.Bench.dll "$@"
