#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing (redis-server, chromium, the npm tools),
# builds the dashboard tab,
# creates a throw-away test CA, starts the three Redis topologies the product must run on (a plain
# redis-server, a Redis 6.0 stand-in, a 3-shard Redis Cluster) on free loopback ports, runs the whole
# solution's tests on the plain one, then the Redis-backed integration tests again on each of the
# other two (TEST_REDIS_TOPOLOGY=redis60 / cluster), builds the container image and checks its health
# probes (build/container.sh), and stops what it started. Arguments go to every
# `dotnet test` run (e.g. --filter-class). TEST_FAULT_SUITE=long runs the longer fault-injection suite.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# shellcheck source=build/test-env.sh
source build/test-env.sh
for tool in node npm openssl dotnet python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool: install it first" >&2; exit 1; }
done

say "installing npm tools (tests/js)"
npm ci --prefix tests/js --no-audit --no-fund --loglevel=error >/dev/null

# The dashboard tab: its bundle (src/TeamsAlertBot/wwwroot/tab) is built from ClientApp here and
# committed, so `dotnet run` and the container serve it without node. In CI the rebuilt bundle must
# equal the committed one (a source change without its bundle fails here).
say "building the dashboard tab (src/TeamsAlertBot/ClientApp)"
npm ci --prefix src/TeamsAlertBot/ClientApp --no-audit --no-fund --loglevel=error >/dev/null
npm run --prefix src/TeamsAlertBot/ClientApp --silent build
if [ "${CI:-}" = "true" ] && command -v git >/dev/null 2>&1 && git rev-parse --git-dir >/dev/null 2>&1; then
  if [ -n "$(git status --porcelain -- src/TeamsAlertBot/wwwroot/tab)" ]; then
    echo "src/TeamsAlertBot/wwwroot/tab differs from a build of ClientApp: run 'npm run --prefix src/TeamsAlertBot/ClientApp build' and commit the result" >&2
    git status --porcelain -- src/TeamsAlertBot/wwwroot/tab >&2
    exit 1
  fi
fi

test_env_start
test_env_start_topologies

status=0
say "running tests (Redis: plain redis-server)"
set +e
dotnet test --solution TeamsAlertBot.sln "$@" 2>&1 | tee "$work/test-standalone.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
# The integration tests that touch Redis, again on the 6.0 stand-in and on the cluster (the build
# above is reused; tests marked [Trait("Redis", "None")] do not depend on the topology).
for topology in redis60 cluster; do
  say "running the Redis-backed integration tests on the $topology topology"
  TEST_REDIS_TOPOLOGY=$topology dotnet test --project tests/TeamsAlertBot.IntegrationTests --no-build \
    --filter-not-trait "Redis=None" "$@" 2>&1 | tee "$work/test-$topology.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
# The container image: built by the .NET SDK from a locally assembled base image, started without a
# container engine, its health probes must answer (build/container.sh). Counted as one check below.
# TEST_SKIP_CONTAINER=1 skips it (e.g. with --filter-class runs).
container=0
if [ "${TEST_SKIP_CONTAINER:-}" != "1" ]; then
  say "building the container image and checking its health probes"
  if ./build/container.sh "$work/container"; then container=1; else container=-1; status=1; fi
fi
set -e
# One plain closing line for any reader of the log: the sums over every test project and topology.
passed=$(cat "$work"/test-*.log | grep -E '^[[:space:]]+succeeded: [0-9]+' | awk '{s+=$2} END {print s+0}')
failed=$(cat "$work"/test-*.log | grep -E '^[[:space:]]+failed: [0-9]+' | awk '{s+=$2} END {print s+0}')
[ "$container" -eq 1 ] && passed=$((passed + 1))
[ "$container" -eq -1 ] && failed=$((failed + 1))
echo "$passed passed, $failed failed"
exit "$status"
