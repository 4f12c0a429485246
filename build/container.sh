#!/usr/bin/env bash
# Builds the bot's container image with the .NET SDK's own container support (no Docker engine) and
# checks that it starts and answers its health probes — on a machine that reaches no container
# registry. Usage: build/container.sh [OUT_DIR]   (default: artifacts/container)
#
# 1. The base image is assembled here, as Microsoft's aspnet:10.0 image is made (Debian 12's libc,
#    libstdc++, OpenSSL, ICU, zlib, tzdata and CA bundle, plus the ASP.NET Core runtime the SDK on
#    this machine carries; a non-root user 1654 "app"), from Debian packages fetched with apt-get.
# 2. A read-only registry on 127.0.0.1 (build/container/oci.py) serves it, and
#    `dotnet publish -t:PublishContainer` pulls it as ContainerBaseImage and writes the image as a
#    tarball (ContainerArchiveOutputPath; no registry to push to).
# 3. The image's layers are unpacked and its entrypoint started as its user (1654) in its own mount
#    and PID namespaces (unshare + chroot, as root), with the anonymous Development configuration of
#    the local launch profile; /health/live and /health/ready must answer 200.
# Production builds use Microsoft's base image instead (the project's default ContainerBaseImage);
# see docs/install.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/artifacts/container}
say() { printf '==> %s\n' "$*" >&2; }
[ "$(id -u)" -eq 0 ] || { echo "build/container.sh starts the image with unshare and chroot: run it as root" >&2; exit 1; }

work=$(mktemp -d)
pids=()
image_pid=""
cleanup() {
  local pid app
  # The image's process: the child of `unshare --fork`, PID 1 of its namespace. unshare itself ignores
  # SIGTERM, and the process lost --kill-child's signal when it dropped to its user, so it is stopped
  # by its own PID: SIGTERM (a graceful stop), SIGKILL if it is still there after 10 s.
  if [ -n "$image_pid" ]; then
    app=$(cat "/proc/$image_pid/task/$image_pid/children" 2>/dev/null || true)
    for pid in $app; do
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  # The started image's mounts live in its own namespace and end with it; only files remain.
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$out"

say "assembling the base image (Debian packages + the ASP.NET Core runtime)"
packages=(libc6 libgcc-s1 libstdc++6 libssl3 libicu72 zlib1g tzdata ca-certificates)
mkdir -p "$work/debs" "$work/base"
if ! (cd "$work/debs" && apt-get download "${packages[@]}" >/dev/null 2>&1); then
  apt-get update -qq >/dev/null
  (cd "$work/debs" && apt-get download "${packages[@]}" >/dev/null)
fi
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/base"; done
rootfs=$work/base
mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/tmp" "$rootfs/proc" "$rootfs/dev" "$rootfs/usr/bin" "$rootfs/app"
chmod 1777 "$rootfs/tmp"
# What update-ca-certificates would write: every certificate the package ships, in one bundle.
find "$rootfs/usr/share/ca-certificates" -name '*.crt' | sort | xargs cat > "$rootfs/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:1654:1654::/home/app:/usr/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\napp:x:1654:\n' > "$rootfs/etc/group"
mkdir -p "$rootfs/home/app" && chown 1654:1654 "$rootfs/home/app"

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)
[ -d "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" ] || { echo "no .NET runtime $runtime beside ASP.NET Core $runtime in $dotnet_root" >&2; exit 1; }
mkdir -p "$rootfs/usr/share/dotnet/shared/Microsoft.NETCore.App" "$rootfs/usr/share/dotnet/shared/Microsoft.AspNetCore.App" "$rootfs/usr/share/dotnet/host/fxr"
cp -a "$dotnet_root/dotnet" "$rootfs/usr/share/dotnet/"
cp -a "$dotnet_root/host/fxr/$(ls "$dotnet_root/host/fxr" | sort -V | tail -1)" "$rootfs/usr/share/dotnet/host/fxr/"
cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" "$rootfs/usr/share/dotnet/shared/Microsoft.NETCore.App/"
cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$runtime" "$rootfs/usr/share/dotnet/shared/Microsoft.AspNetCore.App/"
ln -sf /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"

base_tag="10.0-local"
python3 "$root/build/container/oci.py" base "$rootfs" "$work/registry" \
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  "APP_UID=1654" "ASPNETCORE_HTTP_PORTS=8080" "DOTNET_RUNNING_IN_CONTAINER=true" \
  "DOTNET_ROOT=/usr/share/dotnet" "DOTNET_VERSION=$runtime" "ASPNET_VERSION=$runtime" >/dev/null

say "serving it from a registry on 127.0.0.1"
python3 "$root/build/container/oci.py" serve "$work/registry" "$work/registry.port" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/registry.port" ] && break; sleep 0.1; done
registry="localhost:$(cat "$work/registry.port")"

say "dotnet publish -t:PublishContainer (base $registry/aspnet:$base_tag)"
tarball=$out/teamsalertbot.tar.gz
rm -f "$tarball"
DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry dotnet publish "$root/src/TeamsAlertBot" -c Release \
  -t:PublishContainer -p:ContainerBaseImage="$registry/aspnet:$base_tag" \
  -p:ContainerArchiveOutputPath="$tarball" -o "$work/publish" -nologo -v:q >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; exit 1; }
say "image written to $tarball ($(du -h "$tarball" | cut -f1))"

say "starting the image without a container engine"
image=$work/image
config=$(python3 "$root/build/container/oci.py" unpack "$tarball" "$image")
user=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("User") or "")' "$config")
workdir=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("WorkingDir") or "/")' "$config")
mapfile -t entrypoint < <(python3 -c 'import json,sys; c=json.loads(sys.argv[1]); print("\n".join((c.get("Entrypoint") or []) + (c.get("Cmd") or [])))' "$config")
mapfile -t env < <(python3 -c 'import json,sys; print("\n".join(json.loads(sys.argv[1]).get("Env") or []))' "$config")
case "$user" in ""|0|root|0:*|root:*) echo "the image runs as root (User='$user')" >&2; exit 1 ;; esac
uid=${user%%:*}
[[ $uid =~ ^[0-9]+$ ]] || uid=$(awk -F: -v n="$uid" '$1==n {print $3}' "$image/etc/passwd")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
# The local launch profile's configuration (anonymous, in-memory state); Urls replaces appsettings.Development.json's.
unshare --mount --pid --fork --kill-child bash -c '
  set -e
  oci=$1; image=$2
  mount --make-rprivate /
  mount --rbind /dev "$image/dev"
  mount -t proc proc "$image/proc"
  shift
  exec python3 "$oci" exec "$@"
' bash "$root/build/container/oci.py" "$image" "$uid" "$workdir" "${env[@]}" HOME=/home/app ASPNETCORE_ENVIRONMENT=Development \
  "Urls=http://127.0.0.1:$port" -- "${entrypoint[@]}" >"$work/image.log" 2>&1 &
image_pid=$!
pids+=($!)

ok=false
for _ in $(seq 1 600); do
  if curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
    ok=true
    break
  fi
  kill -0 "${pids[-1]}" 2>/dev/null || break
  sleep 0.1
done
if ! $ok; then
  echo "the image's health probes did not answer 200; its output:" >&2
  cat "$work/image.log" >&2
  exit 1
fi
say "the image runs as user $user and answers /health/live and /health/ready on its port"
