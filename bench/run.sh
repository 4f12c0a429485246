#!/usr/bin/env bash
# Runs the end-to-end latency bench (bench/TeamsAlertBot.Bench) in Release, set up the way
# build/test.sh sets up the integration tests: a throw-away test CA trusted through SSL_CERT_FILE,
# redis-server on a free loopback port. Stops what it started, by PID. Every request stays on
# loopback. Arguments go to the bench (bench/run.sh --help lists them), e.g.
#   bench/run.sh --iterations 200 --markdown /tmp/bench.md
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# shellcheck source=build/test-env.sh
source build/test-env.sh
for tool in redis-cli openssl dotnet python3 git timeout; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool: install it first" >&2; exit 1; }
done

say "building the bench (Release)"
dotnet build bench/TeamsAlertBot.Bench -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

test_env_start
# What was measured, for the report: the commit, and whether the tree differed from it.
BENCH_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- src tests bench 2>/dev/null)" ]; then BENCH_COMMIT="$BENCH_COMMIT + uncommitted changes"; fi
export BENCH_COMMIT

say "running the bench"
# A hard ceiling on the whole run, whatever the options; the bench has its own per-step timeouts.
timeout --foreground "${BENCH_TIME_LIMIT:-900}" \
  dotnet bench/TeamsAlertBot.Bench/bin/Release/net10.0/TeamsAlertBot.Bench.dll "$@"
