# SPDX-License-Identifier: GPL-2.0-only
"""A 128-byte EDID 1.4 base block for one preferred mode (VESA E-EDID
layout: header, vendor and product, basic parameters, chromaticity,
timings, four 18-byte descriptors, extension count and checksum)."""

import struct


def _vendor(code):
    a, b, c = (ord(ch) - ord("A") + 1 for ch in code)
    return struct.pack(">H", (a << 10) | (b << 5) | c)


def _detailed_timing(width, height, refresh):
    hblank, hfront, hsync = 160, 48, 32
    vblank, vfront, vsync = 30, 3, 6
    clock = (width + hblank) * (height + vblank) * refresh // 10000
    mm_w, mm_h = width * 264 // 1000, height * 264 // 1000
    return bytes([
        clock & 0xff, clock >> 8,
        width & 0xff, hblank & 0xff, ((width >> 8) << 4) | (hblank >> 8),
        height & 0xff, vblank & 0xff, ((height >> 8) << 4) | (vblank >> 8),
        hfront & 0xff, hsync & 0xff, ((vfront & 0xf) << 4) | (vsync & 0xf),
        ((hfront >> 8) << 6) | ((hsync >> 8) << 4) | ((vfront >> 4) << 2) | (vsync >> 4),
        mm_w & 0xff, mm_h & 0xff, ((mm_w >> 8) << 4) | (mm_h >> 8),
        0, 0, 0x1e,
    ])


def _text_descriptor(tag, text):
    body = text.encode()[:13]
    if len(body) < 13:
        body += b"\n" + b" " * (12 - len(body))
    return bytes([0, 0, 0, tag, 0]) + body


def make_edid(width, height, refresh=60, name="vgt-host", serial=0):
    e = bytearray(b"\x00\xff\xff\xff\xff\xff\xff\x00")
    e += _vendor("VGT") + struct.pack("<HI", 0x1234, serial)
    e += bytes([1, 36, 1, 4])            # week 1 of 2026, EDID 1.4
    e += bytes([0x80, width * 264 // 10000 or 1, height * 264 // 10000 or 1, 120, 0x06])
    e += bytes([0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26, 0x0f, 0x50, 0x54])
    e += bytes(3)                         # no established timings
    e += b"\x01\x01" * 8                  # no standard timings
    e += _detailed_timing(width, height, refresh)
    e += _text_descriptor(0xfc, name)
    e += _text_descriptor(0xff, "%08d" % serial)
    e += bytes([0, 0, 0, 0x10, 0]) + bytes(13)
    e += b"\x00"                          # no extensions
    e += bytes([(-sum(e)) & 0xff])
    assert len(e) == 128
    return bytes(e)
