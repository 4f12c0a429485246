#!/usr/bin/env python3
"""Fill the ${{VAR}} placeholders of the Teams app manifest and zip the app package.

    python3 build-package.py <env>

reads manifest.json and ja.json from appPackage/, replaces every ${{NAME}} with the environment
variable NAME, checks the result (valid JSON, Teams' length limits, id and URL formats) and writes

    appPackage/build/<env>/            the filled manifest.json and ja.json (for inspection)
    appPackage/build/appPackage.<env>.zip

The zip holds manifest.json, ja.json, color.png and outline.png at its root, as Teams expects.
It is byte-for-byte reproducible: same inputs, same zip. Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import sys
import zipfile
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES = ("manifest.json", "ja.json")
ICONS = ("color.png", "outline.png")
PLACEHOLDER = re.compile(r"\$\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")

# Variables that may be set to an empty string (production has no name suffix).
MAY_BE_EMPTY = {"APP_NAME_SUFFIX"}

GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
HOST = re.compile(r"^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?:\.(?!-)[A-Za-z0-9-]{1,63})+$")
SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
HTTPS_URL = re.compile(r"^https://[^\s/?#]+(?:[/?#]\S*)?$")
ENV_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")

# What each variable must look like; a variable not listed here only has to be set.
FORMATS = {
    "TEAMS_APP_ID": (GUID, "a GUID (the Teams app id, e.g. from uuidgen)"),
    "BOT_ID": (GUID, "a GUID (the Entra application (client) id of the bot)"),
    "BOT_DOMAIN": (HOST, "a host name without scheme or path, e.g. app-teamsalertbot.azurewebsites.net"),
    "APP_VERSION": (SEMVER, "a version of the form MAJOR.MINOR.PATCH, e.g. 1.0.0"),
    "DEVELOPER_WEBSITE_URL": (HTTPS_URL, "an https:// URL"),
    "PRIVACY_URL": (HTTPS_URL, "an https:// URL"),
    "TERMS_OF_USE_URL": (HTTPS_URL, "an https:// URL"),
}

# Teams' documented limits for the strings a user sees (manifest schema and the
# "bot commands" guidance: a command title at most 32 characters, its description 128).
LIMITS = {
    "name.short": 30,
    "name.full": 100,
    "description.short": 80,
    "description.full": 4000,
    "developer.name": 32,
}
COMMAND_KEY = re.compile(r"^bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(title|description)$")
COMMAND_LIMITS = {"title": 32, "description": 128}


class BuildError(Exception):
    pass


def _placeholders(texts: dict[str, str]) -> set[str]:
    return {name for text in texts.values() for name in PLACEHOLDER.findall(text)}


def _resolve(names: set[str], environ: dict[str, str]) -> dict[str, str]:
    unset = sorted(n for n in names if n not in environ)
    empty = sorted(n for n in names if n in environ and environ[n] == "" and n not in MAY_BE_EMPTY)
    problems = []
    if unset:
        problems.append("these environment variables are not set: " + ", ".join(unset))
        for name in sorted(MAY_BE_EMPTY & set(unset)):
            problems.append(f"({name} may be empty, e.g. for production: export {name}=)")
    if empty:
        problems.append("these environment variables are empty: " + ", ".join(empty))
    for name in sorted(names - set(unset) - set(empty)):
        rule = FORMATS.get(name)
        if rule and not rule[0].match(environ[name]):
            problems.append(f"{name}={environ[name]!r} is not {rule[1]}")
    if problems:
        raise BuildError("\n".join(problems))
    return {n: environ[n] for n in names}


def _fill(text: str, values: dict[str, str]) -> str:
    # Placeholders sit inside JSON strings, so each value is JSON-escaped before it goes in.
    return PLACEHOLDER.sub(lambda m: json.dumps(values[m.group(1)], ensure_ascii=False)[1:-1], text)


def _flatten_manifest(manifest: dict) -> dict[str, str]:
    """The manifest's user-visible strings under the keys the localization file uses."""
    flat = {
        "name.short": manifest.get("name", {}).get("short", ""),
        "name.full": manifest.get("name", {}).get("full", ""),
        "description.short": manifest.get("description", {}).get("short", ""),
        "description.full": manifest.get("description", {}).get("full", ""),
        "developer.name": manifest.get("developer", {}).get("name", ""),
    }
    for bi, bot in enumerate(manifest.get("bots", [])):
        for li, command_list in enumerate(bot.get("commandLists", [])):
            for ci, command in enumerate(command_list.get("commands", [])):
                for field in ("title", "description"):
                    if field in command:
                        flat[f"bots[{bi}].commandLists[{li}].commands[{ci}].{field}"] = command[field]
    return flat


def _check_strings(file_name: str, strings: dict[str, str]) -> list[str]:
    problems = []
    for key, value in strings.items():
        if not isinstance(value, str):
            continue
        match = COMMAND_KEY.match(key)
        limit = COMMAND_LIMITS[match.group(3)] if match else LIMITS.get(key)
        if limit is not None and len(value) > limit:
            problems.append(f"{file_name}: {key} is {len(value)} characters; Teams allows {limit}: {value!r}")
    return problems


def _check_manifest(manifest: dict, localized: dict[str, dict]) -> list[str]:
    problems = _check_strings("manifest.json", _flatten_manifest(manifest))
    for bot in manifest.get("bots", []):
        for command_list in bot.get("commandLists", []):
            titles = [c.get("title", "") for c in command_list.get("commands", [])]
            duplicates = sorted({t for t in titles if titles.count(t) > 1})
            if duplicates:
                problems.append(f"manifest.json: duplicate command titles in scopes {command_list.get('scopes')}: {duplicates}")
    default_keys = _flatten_manifest(manifest)
    for file_name, strings in localized.items():
        problems += _check_strings(file_name, strings)
        for key in strings:
            if COMMAND_KEY.match(key) and key not in default_keys:
                problems.append(f"{file_name}: {key} has no matching command in manifest.json")
    referenced = [manifest.get("icons", {}).get(k) for k in ("color", "outline")]
    referenced += [lang.get("file") for lang in manifest.get("localizationInfo", {}).get("additionalLanguages", [])]
    for name in referenced:
        if name not in TEMPLATES + ICONS:
            problems.append(f"manifest.json refers to {name!r}, which this build does not package")
    return problems


def _write_zip(target: Path, files: dict[str, bytes]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # fixed: reproducible bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    tmp.replace(target)


def build(env_name: str, environ: dict[str, str], package_dir: Path = PACKAGE_DIR) -> Path:
    if not ENV_NAME.match(env_name):
        raise BuildError(f"environment name {env_name!r} must be letters, digits, '.', '_' or '-' (e.g. dev, prod)")
    texts = {name: (package_dir / name).read_text(encoding="utf-8") for name in TEMPLATES}
    values = _resolve(_placeholders(texts), environ)

    filled, parsed = {}, {}
    for name, text in texts.items():
        filled[name] = _fill(text, values)
        leftover = re.findall(r"\$\{\{[^}]*\}\}?", filled[name])
        if leftover:
            raise BuildError(f"{name}: malformed placeholder(s) left after filling: {leftover}")
        try:
            parsed[name] = json.loads(filled[name])
        except json.JSONDecodeError as error:
            raise BuildError(f"{name} is not valid JSON after filling: {error}") from error

    problems = _check_manifest(parsed["manifest.json"], {n: parsed[n] for n in TEMPLATES if n != "manifest.json"})
    if problems:
        raise BuildError("\n".join(problems))

    out_dir = package_dir / "build" / env_name
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {name: filled[name].encode("utf-8") for name in TEMPLATES}
    for name, data in files.items():
        (out_dir / name).write_bytes(data)
    for name in ICONS:
        files[name] = (package_dir / name).read_bytes()

    target = package_dir / "build" / f"appPackage.{env_name}.zip"
    _write_zip(target, files)
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        target = build(argv[0], dict(os.environ))
    except BuildError as error:
        for line in str(error).splitlines():
            print(f"build-package: error: {line}", file=sys.stderr)
        return 1
    print(f"build-package: wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
