"""Just enough PNG decoding to look at a Chromium screenshot (8-bit RGB/RGBA, no interlace)."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

_CHANNELS = {2: 3, 6: 4}  # colour type -> channels


def decode_png(path: Path) -> np.ndarray:
    """The image as a (height, width, channels) uint8 array."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
    assert header is not None, "PNG without IHDR"
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in _CHANNELS and interlace == 0, f"unsupported PNG {header}"
    bpp = _CHANNELS[colour]
    stride = width * bpp
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:]
        if kind == 0:
            row = line.copy()
        elif kind == 1:  # Sub: running sum per channel, modulo 256
            row = np.cumsum(line.reshape(width, bpp), axis=0, dtype=np.uint8).reshape(stride)
        elif kind == 2:  # Up
            row = line + prev
        else:  # Average (3) and Paeth (4) depend on the pixel to the left: byte by byte
            row = _unfilter_slow(int(kind), line.tolist(), prev.tolist(), bpp)
        out[y] = row
        prev = out[y]
    return out.reshape(height, width, bpp)


def _unfilter_slow(kind: int, line: list[int], prev: list[int], bpp: int) -> np.ndarray:
    row = [0] * len(line)
    for i, x in enumerate(line):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        if kind == 3:
            row[i] = (x + (a + b) // 2) & 0xFF
            continue
        c = prev[i - bpp] if i >= bpp else 0
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        row[i] = (x + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
    return np.array(row, dtype=np.uint8)


def colours(image: np.ndarray) -> set[tuple[int, ...]]:
    """The distinct RGB colours of an image."""
    rgb = image[:, :, :3].reshape(-1, 3)
    return {tuple(int(v) for v in c) for c in np.unique(rgb, axis=0)}
