#!/usr/bin/env bash
# Builds the Teams app package for one environment:
#
#   appPackage/build.sh <env> [--schema]      ->  appPackage/build/appPackage.<env>.zip
#
# Every ${{NAME}} placeholder in manifest.json and ja.json is filled from the environment
# variable NAME; the build stops and names each variable that is unset. The filled files must
# be valid JSON within Teams' length limits, and the icons must pass tools/make-icons.py --check.
# --schema also validates against Microsoft's JSON schema (needs node and npm; installs the
# pinned packages of tools/package.json on first use).
#
# Variables: TEAMS_APP_ID BOT_ID BOT_DOMAIN APP_NAME_SUFFIX APP_VERSION DEVELOPER_NAME
#            DEVELOPER_WEBSITE_URL PRIVACY_URL TERMS_OF_USE_URL  (see appPackage/README.md)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

env_name=""
schema=false
for arg in "$@"; do
  case "$arg" in
    --schema) schema=true ;;
    -h|--help) usage ;;
    -*) echo "build.sh: unknown option $arg" >&2; usage ;;
    *) [[ -z "$env_name" ]] || usage; env_name="$arg" ;;
  esac
done
[[ -n "$env_name" ]] || usage

command -v python3 >/dev/null || { echo "build.sh: python3 is required" >&2; exit 1; }

python3 "$here/tools/make-icons.py" --check
python3 "$here/tools/build-package.py" "$env_name"

# The same check as `python3 -m json.tool`, on the files that went into the zip.
for file in manifest.json ja.json; do
  python3 -m json.tool "$here/build/$env_name/$file" >/dev/null
done

if [[ "$schema" == true ]]; then
  command -v node >/dev/null && command -v npm >/dev/null \
    || { echo "build.sh: --schema needs node and npm" >&2; exit 1; }
  if [[ ! -d "$here/tools/node_modules/@microsoft/app-manifest" ]]; then
    npm install --prefix "$here/tools" --no-audit --no-fund --no-package-lock --silent
  fi
  node "$here/tools/validate-schema.mjs" "$here/build/$env_name"
fi

echo "build.sh: upload $here/build/appPackage.$env_name.zip in Teams (Apps > Manage your apps > Upload an app)"
