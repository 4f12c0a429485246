#!/usr/bin/env python3
"""Draw the two Teams app icons (a shield with an exclamation mark) and write them as PNG files.

Only the standard library is used (zlib + struct), so the icons can be rebuilt anywhere
python3 exists. The output is deterministic: running the script twice gives identical bytes.

    python3 make-icons.py            # writes ../color.png (192x192) and ../outline.png (32x32)
    python3 make-icons.py --check    # verifies the files on disk (size, pixels, reproducibility)

Teams' rules for the package icons:
  * color.png   192x192, full colour; here a solid background, so every pixel is opaque.
  * outline.png 32x32, white glyph on a transparent background: every pixel is pure white
    (255, 255, 255) and only the alpha channel varies.
"""

from __future__ import annotations

import argparse
import math
import struct
import sys
import zlib
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Keep BACKGROUND in step with "accentColor" in manifest.json.
BACKGROUND = (0x1B, 0x3A, 0x6B)  # navy
SHIELD = (0xFF, 0xFF, 0xFF)  # white
MARK = (0xF2, 0xA9, 0x00)  # amber exclamation mark
WHITE = (0xFF, 0xFF, 0xFF)

COLOR_SIZE = 192
OUTLINE_SIZE = 32

# Region codes returned by _region().
OUTSIDE, IN_SHIELD, IN_MARK = 0, 1, 2


# ---------------------------------------------------------------------------
# Geometry, in glyph coordinates: the unit square, x to the right, y downwards.
# ---------------------------------------------------------------------------

SHIELD_HALF_WIDTH = 0.34
SHIELD_SHOULDER_Y = 0.52  # where the straight sides start to curve in
SHIELD_TIP_Y = 0.90


def _shield_top(x: float) -> float:
    """The top edge dips slightly towards the middle, like a crest."""
    t = (x - 0.5) / SHIELD_HALF_WIDTH
    return 0.12 + 0.05 * (1.0 - t * t)


def _shield_half_width(y: float) -> float:
    if y <= SHIELD_SHOULDER_Y:
        return SHIELD_HALF_WIDTH
    t = (y - SHIELD_SHOULDER_Y) / (SHIELD_TIP_Y - SHIELD_SHOULDER_Y)
    return SHIELD_HALF_WIDTH * math.cos(t * math.pi / 2.0) if t < 1.0 else 0.0


def _in_shield(x: float, y: float) -> bool:
    if abs(x - 0.5) > SHIELD_HALF_WIDTH or y > SHIELD_TIP_Y:
        return False
    return y >= _shield_top(x) and abs(x - 0.5) <= _shield_half_width(y)


def _in_mark(x: float, y: float) -> bool:
    """An exclamation mark: a capsule-shaped bar and a round dot."""
    bar_half, bar_top, bar_bottom = 0.045, 0.30, 0.57
    dx = abs(x - 0.5)
    if dx <= bar_half and bar_top <= y <= bar_bottom:
        return True
    for cap_y in (bar_top, bar_bottom):
        if dx * dx + (y - cap_y) ** 2 <= bar_half * bar_half:
            return True
    dot_y, dot_r = 0.69, 0.052
    return dx * dx + (y - dot_y) ** 2 <= dot_r * dot_r


def _region(x: float, y: float) -> int:
    if not _in_shield(x, y):
        return OUTSIDE
    return IN_MARK if _in_mark(x, y) else IN_SHIELD


def _coverage(size: int, scale: float, samples: int) -> list[list[tuple[float, float, float]]]:
    """For each pixel, the fraction of it covered by (outside, shield, mark).

    The glyph is drawn at `scale` of the canvas, centred; `samples`^2 points per pixel give
    smooth (anti-aliased) edges without any image library.
    """
    rows = []
    step = 1.0 / samples
    total = samples * samples
    for py in range(size):
        row = []
        for px in range(size):
            counts = [0, 0, 0]
            for sy in range(samples):
                cy = (py + (sy + 0.5) * step) / size
                gy = 0.5 + (cy - 0.5) / scale
                for sx in range(samples):
                    cx = (px + (sx + 0.5) * step) / size
                    gx = 0.5 + (cx - 0.5) / scale
                    counts[_region(gx, gy)] += 1
            row.append((counts[0] / total, counts[1] / total, counts[2] / total))
        rows.append(row)
    return rows


def _blend(weights: tuple[float, float, float], colours: tuple[tuple[int, int, int], ...]) -> tuple[int, int, int]:
    return tuple(
        min(255, int(round(sum(w * c[i] for w, c in zip(weights, colours)))))
        for i in range(3)
    )  # type: ignore[return-value]


def draw_color() -> list[list[tuple[int, int, int, int]]]:
    cover = _coverage(COLOR_SIZE, scale=0.85, samples=4)
    return [[(*_blend(w, (BACKGROUND, SHIELD, MARK)), 255) for w in row] for row in cover]


def draw_outline() -> list[list[tuple[int, int, int, int]]]:
    # The mark is cut out of the shield: only shield coverage becomes opaque white.
    cover = _coverage(OUTLINE_SIZE, scale=1.0, samples=6)
    return [[(*WHITE, int(round(w[1] * 255))) for w in row] for row in cover]


# ---------------------------------------------------------------------------
# PNG writing and reading (8-bit RGBA, no ancillary chunks, so bytes are stable).
# ---------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    height, width = len(pixels), len(pixels[0])
    raw = bytearray()
    for row in pixels:
        raw.append(0)  # filter type 0 (None) for every scanline
        for r, g, b, a in row:
            raw += bytes((r, g, b, a))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit, RGBA
    return PNG_SIGNATURE + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + _chunk(b"IEND", b"")


def decode_png(data: bytes) -> tuple[int, int, list[list[tuple[int, int, int, int]]]]:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG (any filter types) into RGBA rows."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    pos, idat, header = len(PNG_SIGNATURE), bytearray(), None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"bad CRC in {kind.decode('ascii', 'replace')} chunk")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None:
        raise ValueError("no IHDR chunk")
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace != 0:
        raise ValueError(f"unsupported PNG format (depth {depth}, colour type {colour_type}, interlace {interlace})")
    channels = 4 if colour_type == 6 else 3
    stride = width * channels
    raw = zlib.decompress(bytes(idat))
    rows, previous = [], bytearray(stride)
    for y in range(height):
        filter_type = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filter_type == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filter_type == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filter_type == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)
                line[i] = (line[i] + predictor) & 0xFF
            elif filter_type != 0:
                raise ValueError(f"unknown PNG filter type {filter_type}")
        pixels = [tuple(line[x * channels:(x + 1) * channels]) for x in range(width)]
        rows.append([p if channels == 4 else (*p, 255) for p in pixels])
        previous = line
    return width, height, rows


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def _check(directory: Path) -> list[str]:
    problems = []
    expected = {"color.png": (COLOR_SIZE, draw_color), "outline.png": (OUTLINE_SIZE, draw_outline)}
    for name, (size, draw) in expected.items():
        path = directory / name
        if not path.is_file():
            problems.append(f"{path}: missing (run make-icons.py)")
            continue
        data = path.read_bytes()
        try:
            width, height, rows = decode_png(data)
        except (ValueError, zlib.error) as error:
            problems.append(f"{path}: {error}")
            continue
        if (width, height) != (size, size):
            problems.append(f"{path}: is {width}x{height}, Teams needs {size}x{size}")
        if name == "outline.png":
            bad = [(x, y) for y, row in enumerate(rows) for x, (r, g, b, _) in enumerate(row) if (r, g, b) != WHITE]
            if bad:
                problems.append(f"{path}: {len(bad)} pixel(s) are not white, first at {bad[0]}; only white + alpha is allowed")
            if all(a == 255 for row in rows for (_, _, _, a) in row):
                problems.append(f"{path}: has no transparent pixels; the background must be transparent")
        else:
            if any(a != 255 for row in rows for (_, _, _, a) in row):
                problems.append(f"{path}: has transparent pixels; the colour icon uses a solid background")
        if data != encode_png(draw()):
            problems.append(f"{path}: differs from what make-icons.py draws now (edited by hand, or the script changed)")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PACKAGE_DIR, help="folder for the PNG files (default: appPackage/)")
    parser.add_argument("--check", action="store_true", help="verify existing files instead of writing them")
    args = parser.parse_args(argv)

    if args.check:
        problems = _check(args.out)
        for problem in problems:
            print(f"make-icons: {problem}", file=sys.stderr)
        if not problems:
            print(f"make-icons: color.png {COLOR_SIZE}x{COLOR_SIZE} and outline.png {OUTLINE_SIZE}x{OUTLINE_SIZE} are valid and reproducible")
        return 1 if problems else 0

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "color.png").write_bytes(encode_png(draw_color()))
    (args.out / "outline.png").write_bytes(encode_png(draw_outline()))
    print(f"make-icons: wrote {args.out / 'color.png'} and {args.out / 'outline.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
