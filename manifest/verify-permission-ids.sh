#!/usr/bin/env bash
# Checks every permission id in manifest/entra-app.json against the service principals of your
# own tenant (Microsoft Graph, Microsoft Partner Center) and prints what each id really is.
# Run it before creating the app registration: some ids come from public listings, not from a
# Microsoft page (see manifest/README.md). Reads only; needs `az login` and python3.
#
#   manifest/verify-permission-ids.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
manifest="$here/entra-app.json"
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

# Permission names we mean by each id (resource app id / id -> name).
expected='{
  "00000003-0000-0000-c000-000000000000/04a2c935-5b4b-474a-be42-11f53111f271": "PartnerSecurity.ReadWrite.All",
  "00000003-0000-0000-c000-000000000000/98830695-27a2-44f7-8c18-0c3ebc9698f6": "GroupMember.Read.All",
  "00000003-0000-0000-c000-000000000000/0cd2c1f6-94a1-4075-ab8c-0b1aff2e1ad5": "PartnerSecurity.ReadWrite.All",
  "00000003-0000-0000-c000-000000000000/7427e0e9-2fba-42fe-b0c0-848c9e6a8182": "offline_access",
  "00000003-0000-0000-c000-000000000000/37f7f235-527c-4136-accd-4a02d197296e": "openid",
  "00000003-0000-0000-c000-000000000000/14dad69e-099b-42c9-810b-d002981feec1": "profile",
  "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd/1cebfa2a-fb4d-419e-b5f9-839b4383e05a": "user_impersonation"
}'

for resource in $(python3 -c 'import json,sys; print(" ".join(r["resourceAppId"] for r in json.load(open(sys.argv[1]))["requiredResourceAccess"]))' "$manifest"); do
  if ! az ad sp show --id "$resource" --output json > "$workdir/$resource.json" 2>"$workdir/$resource.err"; then
    echo "verify: no service principal for $resource in this tenant:" >&2
    cat "$workdir/$resource.err" >&2
    echo "verify: (for Partner Center, an admin can create it: az ad sp create --id $resource)" >&2
    exit 1
  fi
done

python3 - "$manifest" "$workdir" "$expected" <<'EOF'
import json, sys
manifest, workdir, expected = json.load(open(sys.argv[1])), sys.argv[2], json.loads(sys.argv[3])
failed = False
for entry in manifest["requiredResourceAccess"]:
    resource = entry["resourceAppId"]
    sp = json.load(open(f"{workdir}/{resource}.json"))
    roles = {r["id"]: r["value"] for r in sp.get("appRoles", [])}
    scopes = {s["id"]: s["value"] for s in sp.get("oauth2PermissionScopes", [])}
    for access in entry["resourceAccess"]:
        table, kind = (roles, "application") if access["type"] == "Role" else (scopes, "delegated")
        actual = table.get(access["id"])
        wanted = expected.get(f"{resource}/{access['id']}")
        ok = actual is not None and actual == wanted
        failed |= not ok
        print(f"{'ok  ' if ok else 'FAIL'} {sp.get('displayName', resource)}: {kind} {access['id']} = {actual or 'not found'}"
              + ("" if ok else f" (expected {wanted})"))
sys.exit(1 if failed else 0)
EOF
