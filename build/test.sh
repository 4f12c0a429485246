#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing (redis-server, the npm tools),
# creates a throw-away test CA, starts redis-server on a free loopback port, runs the whole
# solution's tests, and stops what it started.
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

test_env_start

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
