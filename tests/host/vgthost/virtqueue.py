# SPDX-License-Identifier: GPL-2.0-only
"""Split virtqueues, device side (virtio 1.x, 2.7).

The driver's descriptor table, available ring and used ring are read and
written in guest memory. Supports VIRTIO_RING_F_INDIRECT_DESC (a descriptor
pointing at a table of descriptors) and VIRTIO_RING_F_EVENT_IDX (used_event
and avail_event suppress notifications past a given index). Malformed chains
(loops, out-of-range indices, writable before readable, nested indirect
tables) are reported as such and never followed.
"""

import struct
import threading

from .memory import MemoryFault

DESC_F_NEXT = 1
DESC_F_WRITE = 2
DESC_F_INDIRECT = 4
AVAIL_F_NO_INTERRUPT = 1

_fence = threading.Lock()


def full_barrier():
    # x86 lets a later load pass an earlier store; the event_idx handshake
    # (store avail_event, then load avail idx; store used idx, then load
    # used_event) needs a full fence there. Taking and dropping a lock runs
    # a locked instruction, which is one.
    _fence.acquire()
    _fence.release()


class BadChain(Exception):
    pass


class Element:
    """One popped request: the head index and its readable and writable
    pieces, each a list of (gpa, length)."""

    def __init__(self, head, readable, writable, error=None):
        self.head = head
        self.readable = readable
        self.writable = writable
        self.error = error


class Virtqueue:
    def __init__(self, index, mem, log=None):
        self.index = index
        self.mem = mem
        self.log = log
        self.num = 0
        self.desc_uva = self.avail_uva = self.used_uva = 0
        self.last_avail = 0
        self.used_idx = 0
        self.event_idx = False
        self.indirect = False
        self.kick_fd = None
        self.call_fd = None
        self.err_fd = None
        self.enabled = False
        self.started = False
        self.desc = self.avail = self.used = None
        self.signalled_used = 0
        self.popped = 0
        self.indirect_chains = 0
        self.bad_chains = 0
        self.inflight = set()
        # Bumped when GET_VRING_BASE stops the ring for good (not when a new
        # memory table restarts it): held answers check it before landing.
        self.session = 0

    # --- set-up, from the vhost-user requests

    def start(self):
        n = self.num
        if n == 0 or n > 32768 or n & (n - 1):
            raise BadChain("queue %d: size %d is not a power of two" % (self.index, n))
        self.desc = self.mem.uva_view(self.desc_uva, 16 * n)
        self.avail = self.mem.uva_view(self.avail_uva, 6 + 2 * n)
        self.used = self.mem.uva_view(self.used_uva, 6 + 8 * n)
        self.used_idx = struct.unpack_from("<H", self.used, 2)[0]
        self.signalled_used = self.used_idx
        self.started = True

    def stop(self):
        self.started = False
        self.desc = self.avail = self.used = None
        self.inflight.clear()

    def stats(self):
        return "queue %d: %d buffers, %d through indirect tables, %d malformed" % (
            self.index, self.popped, self.indirect_chains, self.bad_chains)

    def ready(self):
        return self.started and self.enabled

    # --- the available side

    def _avail_idx(self):
        return struct.unpack_from("<H", self.avail, 2)[0]

    def _set_avail_event(self):
        if self.event_idx:
            struct.pack_into("<H", self.used, 4 + 8 * self.num, self.last_avail)

    def pop(self):
        """The next available element, or None when the ring is empty."""
        if not self.ready():
            return None
        avail = self._avail_idx()
        if avail == self.last_avail:
            self._set_avail_event()
            full_barrier()
            avail = self._avail_idx()
            if avail == self.last_avail:
                return None
        if (avail - self.last_avail) & 0xffff > self.num:
            # The driver claims more new buffers than the ring holds.
            raise BadChain("queue %d: avail idx %d is %d past %d (size %d)"
                           % (self.index, avail, (avail - self.last_avail) & 0xffff,
                              self.last_avail, self.num))
        slot = self.last_avail % self.num
        head = struct.unpack_from("<H", self.avail, 4 + 2 * slot)[0]
        self.last_avail = (self.last_avail + 1) & 0xffff
        self.popped += 1
        try:
            readable, writable = self._walk(head)
            elem = Element(head, readable, writable)
        except (BadChain, MemoryFault) as e:
            self.bad_chains += 1
            elem = Element(head, [], [], str(e))
        if head < self.num:
            self.inflight.add(head)
        return elem

    def _walk(self, head):
        if head >= self.num:
            raise BadChain("head %d >= queue size %d" % (head, self.num))
        readable, writable = [], []
        table, count, i = self.desc, self.num, head
        in_indirect = False
        steps = 0
        while True:
            steps += 1
            if steps > count + 1:
                raise BadChain("descriptor chain loops")
            addr, length, flags, nxt = struct.unpack_from("<QIHH", table, 16 * i)
            if flags & DESC_F_INDIRECT:
                if not self.indirect:
                    raise BadChain("indirect descriptor without INDIRECT_DESC")
                if in_indirect:
                    raise BadChain("nested indirect table")
                if flags & DESC_F_NEXT:
                    raise BadChain("indirect descriptor with NEXT")
                if length == 0 or length % 16 or length > 16 * 32768:
                    raise BadChain("indirect table of %d bytes" % length)
                table = self.mem.gpa_view(addr, length)
                count, i, steps, in_indirect = length // 16, 0, 0, True
                self.indirect_chains += 1
                continue
            if length:
                # Validate now, so that later accesses cannot fault.
                self.mem.gpa_view(addr, length)
            if flags & DESC_F_WRITE:
                writable.append((addr, length))
            else:
                if writable:
                    raise BadChain("readable descriptor after a writable one")
                readable.append((addr, length))
            if not flags & DESC_F_NEXT:
                return readable, writable
            if nxt >= count:
                raise BadChain("next %d >= table size %d" % (nxt, count))
            i = nxt

    # --- the used side

    def push(self, head, written):
        """Return an element to the driver with `written` bytes written."""
        if not self.started:
            return
        self.inflight.discard(head)
        slot = self.used_idx % self.num
        struct.pack_into("<II", self.used, 4 + 8 * slot, head, written)
        self.used_idx = (self.used_idx + 1) & 0xffff
        struct.pack_into("<H", self.used, 2, self.used_idx)

    def needs_signal(self):
        """Whether the driver asked to be interrupted for what was pushed
        since the last signal."""
        old, new = self.signalled_used, self.used_idx
        if old == new:
            return False
        full_barrier()
        if self.event_idx:
            event = struct.unpack_from("<H", self.avail, 4 + 2 * self.num)[0]
            return (new - event - 1) & 0xffff < (new - old) & 0xffff
        flags = struct.unpack_from("<H", self.avail, 0)[0]
        return not flags & AVAIL_F_NO_INTERRUPT

    def signalled(self):
        self.signalled_used = self.used_idx

    # --- reading and writing an element's buffers

    def gather(self, elem, limit):
        """The readable bytes of an element, at most `limit` of them."""
        out = []
        total = 0
        for gpa, n in elem.readable:
            take = min(n, limit - total)
            if take <= 0:
                break
            out.append(bytes(self.mem.gpa_view(gpa, take)))
            total += take
        return b"".join(out)

    def readable_size(self, elem):
        return sum(n for _, n in elem.readable)

    def scatter(self, elem, data):
        """Write data into the writable pieces; returns the bytes written."""
        pos = 0
        for gpa, n in elem.writable:
            if pos >= len(data):
                break
            take = min(n, len(data) - pos)
            self.mem.gpa_view(gpa, take)[:] = data[pos:pos + take]
            pos += take
        return pos

    def writable_size(self, elem):
        return sum(n for _, n in elem.writable)
