# SPDX-License-Identifier: GPL-2.0-only
"""Personalities: what the host's "GPU" does. There is no GPU; each
personality is a small model whose behaviour a test can predict and check.

A personality decides:
  submit(ctx, ring, data)     how long a SUBMIT_3D takes (seconds; None: never)
  command_delay(name, ...)    how long any other fenced command takes
  host_blob(ctx, blob_id, n)  the contents of a HOST3D blob: a function
                              (offset, length) -> bytes, or None to refuse it

Every personality also honours a directive that the guest can put at the
start of a SUBMIT_3D stream, so that tests script the host from the guest:
    b"VGTD" + le32 delay_ms     this submission takes delay_ms
                                (0xffffffff: its fence never completes)

Personalities to come (issue 13): shared memory (blob_id 0 and named blob
ids, as Venus and DRM native contexts use), cross-domain (replies through a
mapped ring). They subclass Personality and register in PERSONALITIES.
Fault injection (error answers, short or hostile responses, fences delayed
or never completed, a host that stops answering) belongs in a separate
hook that the device consults per command; see device.Device.faults.
"""

import struct

PAGE = 4096
DIRECTIVE = b"VGTD"
NEVER = 0xffffffff


def blob_pattern(blob_id, size, offset=0):
    """Bytes [offset, offset+size) of host blob `blob_id`, fast to make at
    any size: every 4 KiB page starts with a 16-byte record (le32
    0x48544756 "VGTH", le32 blob_id low 32 bits, le64 page index) and byte i
    of the rest of the page is (i + blob_id) & 0xff."""
    low = blob_id & 0xffffffff
    body = bytes((i + blob_id) & 0xff for i in range(16, PAGE))
    first, last = offset // PAGE, (offset + size + PAGE - 1) // PAGE
    rec = struct.Struct("<IIQ")
    data = b"".join(rec.pack(0x48544756, low, i) + body for i in range(first, last))
    skip = offset - first * PAGE
    return data[skip:skip + size]


def capset_data(capset_id, version, size):
    """Default capset contents: le32 id, le32 version, then byte i is
    (id * 31 + i) & 0xff, so that a guest can check what it got back."""
    head = struct.pack("<II", capset_id, version)
    body = bytes((capset_id * 31 + i) & 0xff for i in range(8, max(size, 8)))
    return (head + body)[:size]


class Personality:
    name = "echo"

    def __init__(self, args=""):
        self.args = args

    def directive(self, data):
        if len(data) >= 8 and data[:4] == DIRECTIVE:
            ms, = struct.unpack_from("<I", data, 4)
            return ("never",) if ms == NEVER else (ms / 1000.0,)
        return None

    def submit(self, ctx, ring, data):
        d = self.directive(data)
        if d is not None:
            return None if d[0] == "never" else d[0]
        return self.submit_delay(ctx, ring, data)

    def submit_delay(self, ctx, ring, data):
        return 0.0

    def command_delay(self, name, ctx, ring):
        return 0.0

    def host_blob(self, ctx, blob_id, size):
        return lambda offset, length: blob_pattern(blob_id, length, offset)


class RingPersonality(Personality):
    """Submissions on ring N take a fixed delay per ring, so fences on
    different rings of one context complete out of order. Arguments:
    "RING=MS,RING=MS,...,default=MS" (e.g. "0=400,1=20": ring 0 slow,
    ring 1 fast). Fenced commands other than SUBMIT_3D take no time."""
    name = "ring"

    def __init__(self, args=""):
        super().__init__(args)
        self.delays = {}
        self.default = 0.0
        for item in filter(None, args.split(",")):
            key, _, ms = item.partition("=")
            value = float(ms) / 1000.0
            if key == "default":
                self.default = value
            else:
                self.delays[int(key)] = value

    def submit_delay(self, ctx, ring, data):
        return self.delays.get(ring, self.default)


PERSONALITIES = {p.name: p for p in (Personality, RingPersonality)}


def make(spec):
    """"NAME" or "NAME:ARGS"."""
    name, _, args = spec.partition(":")
    if name not in PERSONALITIES:
        raise ValueError("unknown personality %r (have %s)" % (name, ", ".join(PERSONALITIES)))
    return PERSONALITIES[name](args)
