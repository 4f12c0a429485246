#!/usr/bin/env python3
"""Small OCI image helpers for build/container.sh, so the image can be built and started on a machine
with no container engine and no access to a container registry:

  oci.py base ROOTFS OUTDIR ENV...   pack a root file system into a one-layer OCI image (blobs + manifest)
  oci.py serve OUTDIR PORTFILE       serve those images read-only over the registry API (pull only), on 127.0.0.1
  oci.py unpack TARBALL ROOTFS       unpack an image tarball written by the .NET SDK (its layers, in order)
                                     into ROOTFS and print its config (User, Entrypoint, Env, WorkingDir) as JSON
  oci.py exec ROOTFS UID WORKDIR VAR=VALUE... -- ENTRYPOINT...
                                     what a container runtime does last (as root, inside the namespaces the
                                     caller made): chroot into ROOTFS, change to WORKDIR, drop to UID, exec the
                                     entrypoint with exactly those variables

Only what the .NET SDK's pull and our start need is implemented: GET /v2/, manifests by tag or digest,
blobs by digest.
"""
import gzip
import hashlib
import http.server
import io
import json
import os
import sys
import tarfile

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def _blob(outdir, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    os.makedirs(os.path.join(outdir, "blobs"), exist_ok=True)
    with open(os.path.join(outdir, "blobs", digest.replace(":", "_")), "wb") as f:
        f.write(data)
    return digest


def base(rootfs, outdir, env):
    # A reproducible layer: sorted entries, owner root, fixed times.
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames + filenames):
                path = os.path.join(dirpath, name)
                info = tar.gettarinfo(path, arcname=os.path.relpath(path, rootfs))
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                info.mtime = 0
                if info.isfile():
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    layer_tar = raw.getvalue()
    layer = gzip.compress(layer_tar, compresslevel=6, mtime=0)
    layer_digest = _blob(outdir, layer)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"Env": env},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer_tar).hexdigest()]},
    }
    config_data = json.dumps(config, sort_keys=True).encode()
    config_digest = _blob(outdir, config_data)
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": len(config_data)},
        "layers": [{"mediaType": OCI_LAYER, "digest": layer_digest, "size": len(layer)}],
    }
    manifest_data = json.dumps(manifest, sort_keys=True).encode()
    manifest_digest = _blob(outdir, manifest_data)
    with open(os.path.join(outdir, "manifest"), "w") as f:
        f.write(manifest_digest)
    print(manifest_digest)


def serve(outdir, portfile):
    with open(os.path.join(outdir, "manifest")) as f:
        manifest_digest = f.read().strip()

    class Handler(http.server.BaseHTTPRequestHandler):
        def _send(self, status, data=b"", content_type="application/json", digest=None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Docker-Distribution-API-Version", "registry/2.0")
            if digest:
                self.send_header("Docker-Content-Digest", digest)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _read(self, digest):
            path = os.path.join(outdir, "blobs", digest.replace(":", "_"))
            if "/" in digest or not os.path.isfile(path):
                return None
            with open(path, "rb") as f:
                return f.read()

        def do_GET(self):
            parts = self.path.split("?")[0].strip("/").split("/")
            if parts == ["v2"]:
                return self._send(200, b"{}")
            if len(parts) >= 4 and parts[0] == "v2" and parts[-2] == "manifests":
                ref = parts[-1]
                data = self._read(manifest_digest if not ref.startswith("sha256:") else ref)
                if data is None or (ref.startswith("sha256:") and ref != manifest_digest):
                    return self._send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
                return self._send(200, data, OCI_MANIFEST, manifest_digest)
            if len(parts) >= 4 and parts[0] == "v2" and parts[-2] == "blobs":
                data = self._read(parts[-1])
                if data is None:
                    return self._send(404, b'{"errors":[{"code":"BLOB_UNKNOWN"}]}')
                return self._send(200, data, "application/octet-stream", parts[-1])
            return self._send(404, b'{"errors":[{"code":"NAME_UNKNOWN"}]}')

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(portfile + ".tmp", portfile)
    server.serve_forever()


def unpack(tarball, rootfs):
    with tarfile.open(tarball) as image:
        names = image.getnames()
        if "manifest.json" in names:  # Docker archive: manifest.json lists config and layers
            manifest = json.load(image.extractfile("manifest.json"))[0]
            config = json.load(image.extractfile(manifest["Config"]))
            layers = manifest["Layers"]
        else:  # OCI layout: index.json -> manifest -> config and layers
            index = json.load(image.extractfile("index.json"))
            blob = lambda d: image.extractfile("blobs/" + d.replace(":", "/"))
            manifest = json.load(blob(index["manifests"][0]["digest"]))
            config = json.load(blob(manifest["config"]["digest"]))
            layers = ["blobs/" + l["digest"].replace(":", "/") for l in manifest["layers"]]
        os.makedirs(rootfs, exist_ok=True)
        for layer in layers:
            with tarfile.open(fileobj=image.extractfile(layer), mode="r:*") as tar:
                for member in tar.getmembers():
                    base_name = os.path.basename(member.name)
                    if base_name.startswith(".wh."):  # a whiteout: the lower layer's file is deleted
                        victim = os.path.join(rootfs, os.path.dirname(member.name), base_name[4:])
                        if os.path.isdir(victim) and not os.path.islink(victim):
                            import shutil
                            shutil.rmtree(victim)
                        elif os.path.lexists(victim):
                            os.remove(victim)
                        continue
                    target = os.path.join(rootfs, member.name)
                    if os.path.lexists(target) and not os.path.isdir(target):
                        os.remove(target)
                    tar.extract(member, rootfs, set_attrs=True, numeric_owner=True, filter="fully_trusted")
    print(json.dumps(config.get("config", {})))


def run(rootfs, uid, workdir, rest):
    split = rest.index("--")
    env = dict(v.split("=", 1) for v in rest[:split])
    command = rest[split + 1:]
    os.chroot(rootfs)
    os.chdir(workdir)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    # Like a runtime: a bare command name is looked up in the PATH of the image's environment.
    os.execvpe(command[0], command, env)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "base" and len(sys.argv) >= 4:
        base(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif command == "serve" and len(sys.argv) == 4:
        serve(sys.argv[2], sys.argv[3])
    elif command == "exec" and len(sys.argv) >= 7 and "--" in sys.argv:
        run(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:])
    elif command == "unpack" and len(sys.argv) == 4:
        unpack(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
