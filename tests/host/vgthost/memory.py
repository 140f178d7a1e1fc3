# SPDX-License-Identifier: GPL-2.0-only
"""Guest memory as the front-end hands it over in VHOST_USER_SET_MEM_TABLE.

Each region arrives as a file descriptor (the guest RAM memfd) with its
guest-physical address, its address in QEMU's own address space and the
offset of the region inside the file. Virtqueue addresses from
SET_VRING_ADDR are QEMU addresses; descriptor addresses are guest-physical.
Both are translated here. Every access is bounds-checked: an address the
guest made up raises MemoryFault, never touches anything else.
"""

import mmap
import os


class MemoryFault(Exception):
    """A guest address that no region covers (or a range that leaves one)."""


class Region:
    def __init__(self, gpa, size, uva, offset, fd):
        self.gpa = gpa
        self.size = size
        self.uva = uva
        self.offset = offset
        # mmap offsets must be page aligned: map from the page that holds
        # the region's start and remember how far in the region begins.
        page = mmap.ALLOCATIONGRANULARITY
        self.skew = offset % page
        self.map = mmap.mmap(fd, size + self.skew, mmap.MAP_SHARED,
                             mmap.PROT_READ | mmap.PROT_WRITE,
                             offset=offset - self.skew)
        self.view = memoryview(self.map)[self.skew:self.skew + size]

    def close(self):
        # A view still held elsewhere keeps the mapping alive until it is
        # collected; that is harmless.
        try:
            self.view.release()
            self.map.close()
        except BufferError:
            pass


class GuestMemory:
    def __init__(self):
        self.regions = []

    def set_table(self, entries, fds):
        """entries: (gpa, size, uva, mmap_offset) tuples, one per fd."""
        self.clear()
        for (gpa, size, uva, offset), fd in zip(entries, fds):
            try:
                self.regions.append(Region(gpa, size, uva, offset, fd))
            finally:
                os.close(fd)

    def clear(self):
        for r in self.regions:
            r.close()
        self.regions = []

    def _find(self, addr, length, key):
        for r in self.regions:
            base = getattr(r, key)
            if base <= addr and addr - base + length <= r.size:
                return r, addr - base
        raise MemoryFault("%s 0x%x+0x%x is outside guest memory" % (key, addr, length))

    def gpa_view(self, gpa, length):
        """A writable memoryview of guest-physical [gpa, gpa+length)."""
        if length < 0 or gpa < 0:
            raise MemoryFault("negative range")
        r, off = self._find(gpa, length, "gpa")
        return r.view[off:off + length]

    def uva_view(self, uva, length):
        r, off = self._find(uva, length, "uva")
        return r.view[off:off + length]

    def uva_to_gpa(self, uva):
        r, off = self._find(uva, 0, "uva")
        return r.gpa + off

    def read(self, gpa, length):
        return bytes(self.gpa_view(gpa, length))

    def write(self, gpa, data):
        self.gpa_view(gpa, len(data))[:] = data


class IoVec:
    """A guest buffer made of (gpa, length) pieces, read and written as one
    flat byte range (a resource's backing pages, a blob's entries)."""

    def __init__(self, mem, pieces):
        self.mem = mem
        self.pieces = pieces
        self.size = sum(n for _, n in pieces)

    def _walk(self, offset, length):
        if offset < 0 or length < 0 or offset + length > self.size:
            raise MemoryFault("range 0x%x+0x%x outside a 0x%x-byte buffer"
                              % (offset, length, self.size))
        for gpa, n in self.pieces:
            if length == 0:
                return
            if offset >= n:
                offset -= n
                continue
            take = min(n - offset, length)
            yield gpa + offset, take
            offset = 0
            length -= take

    def read(self, offset, length):
        return b"".join(bytes(self.mem.gpa_view(a, n)) for a, n in self._walk(offset, length))

    def write(self, offset, data):
        pos = 0
        for a, n in self._walk(offset, len(data)):
            self.mem.gpa_view(a, n)[:] = data[pos:pos + n]
            pos += n
