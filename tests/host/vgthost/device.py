# SPDX-License-Identifier: GPL-2.0-only
"""The virtio-gpu device model.

Queue 0 carries control commands, queue 1 cursor commands. Each control
command is parsed, validated and answered here; what a real host would
hand to a GPU (SUBMIT_3D, HOST3D blob contents, how long things take) is
asked of the personality. Nothing the guest sends may crash the backend:
every length, id and range is checked and a bad one gets the matching
VIRTIO_GPU_RESP_ERR_*. The log records every command and its answer.
"""

import mmap
import os
import struct
import traceback
import uuid
import zlib

from . import faults as F
from . import proto as P
from .edid import make_edid
from .faults import Faults, Silence
from .fences import Fences
from .memory import IoVec, MemoryFault

PAGE = 4096
MAX_REQUEST = 64 << 20
MAX_ENTRIES = 16384
PIPE_BUFFER = 0


class CmdError(Exception):
    def __init__(self, code, why):
        super().__init__(why)
        self.code = code
        self.why = why


def need(cond, code, why):
    if not cond:
        raise CmdError(code, why)


class Deferred:
    """A handler's answer that comes later (MAP_BLOB waits for QEMU to map
    the blob). The handler calls `answer(resp_type, payload)` when ready."""

    def __init__(self, waits_for, note=""):
        self.waits_for = waits_for
        self.note = note
        self.answer = None


class Resource:
    def __init__(self, rid, kind):
        self.id = rid
        self.kind = kind              # "2d", "3d" or "blob"
        self.format = 0
        self.width = self.height = 0
        self.backing = None           # IoVec of guest pages
        self.host = None              # bytearray: the host's copy (2D, 3D)
        self.blob_mem = self.blob_flags = 0
        self.blob_id = 0
        self.size = 0
        self.memfd = None             # host blob contents, mapped by QEMU
        self.map_offset = None
        self.uuid = None
        self.target = 0
        self.depth = 1
        self.contexts = set()


class Context:
    def __init__(self, cid, capset_id, name):
        self.id = cid
        self.capset_id = capset_id
        self.name = name
        self.resources = set()


class Scanout:
    def __init__(self, index, width, height):
        self.index = index
        self.width = width
        self.height = height
        self.connected = True
        self.resource_id = 0
        self.rect = (0, 0, 0, 0)
        self.blob = None              # (width, height, format, strides, offsets)


class Options:
    def __init__(self):
        self.features = {P.F_VIRGL, P.F_EDID, P.F_RESOURCE_UUID, P.F_RESOURCE_BLOB,
                         P.F_CONTEXT_INIT, P.F_BLOB_ALIGNMENT}
        self.capsets = []             # (id, max_version, bytes)
        self.num_scanouts = 1
        self.width, self.height = 1024, 768
        self.hostmem = 256 << 20
        self.blob_alignment = 16384
        self.max_blob = 1 << 30
        # Startup faults (what the driver reads at probe): None or {} is
        # the truth. See vgt-host's --fault-* options.
        self.config_num_capsets = None
        self.config_num_scanouts = None
        self.capset_info_size = {}    # capset id -> max_size CAPSET_INFO states
        self.edid_size = None         # the size field of every GET_EDID answer
        self.display_info = None      # "garbage": GET_DISPLAY_INFO's pmodes are noise


class Device:
    def __init__(self, opts, personality, loop, log):
        self.opts = opts
        self.personality = personality
        self.loop = loop
        self.log = log
        self.faults = Faults(log)
        self.silence = Silence(log)
        self.conn = None
        self.fences = Fences(loop, log)
        self.negotiated = 0
        self.events_read = 0
        self.reset_state()

    def reset_state(self):
        for r in getattr(self, "resources", {}).values():
            if r.memfd is not None:
                os.close(r.memfd)
        self.resources = {}
        self.contexts = {}
        n = self.opts.num_scanouts
        if self.opts.config_num_scanouts is not None:
            n = min(self.opts.config_num_scanouts, P.MAX_SCANOUTS)
        self.scanouts = [Scanout(i, self.opts.width, self.opts.height) for i in range(n)]
        self.mappings = {}            # offset -> resource id
        self.cursor = {}

    # --- what vhost_user.Connection asks of a device

    def attach(self, conn):
        self.conn = conn

    def features(self):
        bits = 0
        for b in self.opts.features:
            bits |= 1 << b
        return bits | (1 << P.F_VERSION_1)

    def set_features(self, bits):
        self.negotiated = bits
        names = [n for n, b in P.FEATURE_NAMES.items() if bits & (1 << b)]
        self.log("device", "features negotiated: %s" % (" ".join(names) or "none"))

    def has(self, bit):
        return bool(self.negotiated & (1 << bit))

    def config_bytes(self):
        align = self.opts.blob_alignment if P.F_BLOB_ALIGNMENT in self.opts.features else 0
        o = self.opts
        scanouts = len(self.scanouts) if o.config_num_scanouts is None else o.config_num_scanouts
        capsets = len(o.capsets) if o.config_num_capsets is None else o.config_num_capsets
        return P.CONFIG.pack(self.events_read, 0, scanouts, capsets, align)

    def write_config(self, offset, data):
        # Only events_clear (offset 4) is writable.
        if offset <= 4 < offset + len(data) and offset + len(data) >= 8:
            clear, = struct.unpack_from("<I", data, 4 - offset)
            self.events_read &= ~clear
            self.log("device", "events_clear 0x%x" % clear)

    def shmem_sizes(self):
        return {P.SHM_ID_HOST_VISIBLE: self.opts.hostmem} if self.opts.hostmem else {}

    def reset(self):
        self.log("device", "reset")
        # QEMU drops the window's mappings itself across a reset.
        self.fences.drop_all()
        self.faults.arm([None])
        self.silence.elems, self.silence.answers = [], []
        self.reset_state()

    def queue_stopped(self, vq):
        """GET_VRING_BASE stopped vq: what is held for it is never answered
        (the driver resets its ring and forgets those buffers)."""
        if vq.index == 0:
            self.fences.drop_all()
            self.silence.elems, self.silence.answers = [], []

    def queue_ready(self, vq):
        while True:
            if vq.index == 0 and self.silence.dead:
                break                # a dead host does not look at its queue
            try:
                elem = vq.pop()
            except Exception as e:   # a ring the driver broke: log, stop reading it
                self.log("device", "queue %d: %s" % (vq.index, e))
                return
            if elem is None:
                break
            if elem.error:
                self.log("device", "queue %d: bad descriptor chain at %d: %s"
                         % (vq.index, elem.head, elem.error))
                vq.push(elem.head, 0)
                continue
            try:
                if vq.index == 0:
                    self.control(vq, elem)
                elif vq.index == 1:
                    self.cursor_cmd(vq, elem)
                else:
                    vq.push(elem.head, 0)
            except Exception:        # the last line of defence: log, give the buffer back
                self.log("device", "queue %d: internal error\n%s"
                         % (vq.index, traceback.format_exc()))
                if elem.head in vq.inflight:
                    vq.push(elem.head, 0)
        self.conn.notify(vq)

    def idle(self):
        """Called by the loop now and then: pick up buffers whose kick a
        lost race would otherwise leave waiting."""
        if self.conn:
            for vq in self.conn.queues:
                if vq.ready():
                    self.queue_ready(vq)

    # --- answering

    def _respond(self, vq, elem, hdr, rtype, payload=b"", fault=None, what=""):
        """Write an answer into the element and give it back, as the fault
        (if any) says. The caller notifies."""
        if self.silence.dead:
            session = vq.session

            def later():
                if vq.session == session:
                    self._respond(vq, elem, hdr, rtype, payload, fault, what)
            self.silence.answers.append(later)
            return
        _, flags, fence_id, ctx_id, ring_idx = hdr
        rflags = flags & (P.FLAG_FENCE | P.FLAG_INFO_RING_IDX)
        if not rflags & P.FLAG_FENCE:
            rflags, fence_id, ctx_id, ring_idx = 0, 0, 0, 0
        if fault is not None and fault.kind == F.WRONG_TYPE:
            rtype = fault.arg
        resp = P.HDR.pack(rtype, rflags, fence_id, ctx_id, ring_idx) + payload
        room = vq.writable_size(elem)
        if fault is not None and fault.kind == F.NEVER:
            # The buffer stays in flight: the driver never gets it back.
            self.log("answer", "%s -> never (fault never, buffer %d kept)" % (what, elem.head))
            return
        used = None
        if fault is not None and fault.kind == F.SHORT:
            resp = resp[:fault.arg]
        elif fault is not None and fault.kind == F.LONG:
            resp = resp.ljust(room, b"\xa5")
            used = room + (fault.arg or 4096)
        if room < len(resp):
            self.log("ctrl", "%s: response of %d bytes, driver gave %d"
                     % (P.cmd_name(hdr[0]), len(resp), room))
        try:
            written = vq.scatter(elem, resp)
        except MemoryFault as e:
            self.log("ctrl", "response write failed: %s" % e)
            written = 0
        if fault is not None and fault.kind in (F.SHORT, F.LONG, F.WRONG_TYPE):
            self.log("answer", "%s -> %s (fault %s: %d bytes written, used length %d, buffer %d)"
                     % (what, P.resp_name(rtype), fault.tag(), written,
                        written if used is None else used, room))
        vq.push(elem.head, written if used is None else used)

    def _delay(self, hdr, rtype, fault):
        """Seconds until a fenced command's fence completes (None: never)."""
        _, flags, fence_id, ctx_id, ring_idx = hdr
        name = P.cmd_name(hdr[0])
        if rtype == P.RESP_OK_NODATA and name == "SUBMIT_3D":
            delay = self._submit_delay
        elif rtype < P.ERR_UNSPEC:
            delay = self.personality.command_delay(name, ctx_id, ring_idx)
        else:
            delay = 0.0
        if fault is not None and fault.kind == F.DELAY and delay is not None:
            delay = None if fault.arg == F.NEVER_MS else delay + fault.arg / 1000.0
        return delay

    def _finish(self, vq, elem, hdr, rtype, payload, what, kind="ctrl", fault=None):
        """Answer now, or when the fence completes (or the fault says)."""
        _, flags, fence_id, ctx_id, ring_idx = hdr
        self.log(kind, "%s -> %s" % (what, P.resp_name(rtype)))
        session = vq.session

        def send():
            if vq.session != session:
                return
            self._respond(vq, elem, hdr, rtype, payload, fault, what)
            self.conn.notify(vq)
        if not flags & P.FLAG_FENCE:
            if fault is not None and fault.kind == F.DELAY:
                if fault.arg != F.NEVER_MS:
                    self.loop.after(fault.arg / 1000.0, send)
                return
            self._respond(vq, elem, hdr, rtype, payload, fault, what)
            return
        with_ring = bool(flags & P.FLAG_INFO_RING_IDX) and self.has(P.F_CONTEXT_INIT)
        key = Fences.key(ctx_id, ring_idx, with_ring)
        self.fences.add(key, fence_id, self._delay(hdr, rtype, fault), send)

    def _describe(self, hdr):
        ctype, flags, fence_id, ctx_id, ring_idx = hdr
        what = "%s ctx=%d" % (P.cmd_name(ctype), ctx_id)
        if flags & P.FLAG_FENCE:
            what += " fence=%d" % fence_id
        if flags & P.FLAG_INFO_RING_IDX:
            what += " ring=%d" % ring_idx
        if flags & ~(P.FLAG_FENCE | P.FLAG_INFO_RING_IDX):
            what += " flags=0x%x" % flags
        return what

    def _fault_for(self, vq, elem, hdr, req):
        """The armed fault that applies to this command, if any. A stream
        that arms faults is never matched."""
        ctype = hdr[0]
        if ctype == 0x207 and F.is_directive(req[P.HDR.size + 8:P.HDR.size + 12]):
            return None
        fault = self.faults.match(ctype)
        if fault is not None and fault.kind == F.DEAD:
            self.silence.start(self.loop, fault.arg, lambda: self._resume(vq))
        return fault

    def _resume(self, vq):
        """The dead host comes back: what it held is handled in order."""
        session = vq.session
        answers, elems = self.silence.take()
        for answer in answers:
            answer()
        for elem in elems:
            if vq.session == session and not self.silence.dead:
                self.control(vq, elem, checked=True)
            elif self.silence.dead:
                self.silence.elems.append(elem)
        self.conn.notify(vq)
        self.queue_ready(vq)

    def control(self, vq, elem, checked=False):
        try:
            req = vq.gather(elem, MAX_REQUEST)
        except MemoryFault as e:
            self.log("ctrl", "unreadable request: %s" % e)
            vq.push(elem.head, 0)
            return
        if len(req) < P.HDR.size:
            self.log("ctrl", "request of %d bytes, shorter than a header" % len(req))
            self._respond(vq, elem, (0, 0, 0, 0, 0), P.ERR_UNSPEC)
            return
        hdr = P.HDR.unpack_from(req)
        ctype, flags, fence_id, ctx_id, ring_idx = hdr
        name = P.cmd_name(ctype)
        what = self._describe(hdr)
        fault = None if checked else self._fault_for(vq, elem, hdr, req)
        if fault is not None and fault.kind == F.DEAD:
            self.log("ctrl", "%s fault=%s -> held" % (what, fault.tag()))
            self.silence.elems.append(elem)
            return
        if fault is not None:
            what += " fault=%s" % fault.tag()
        self._submit_delay = 0.0
        handler = getattr(self, "cmd_" + name.lower(), None)
        args = None
        try:
            need(handler is not None and ctype < 0x300, P.ERR_UNSPEC, "unknown command")
            need(not (flags & P.FLAG_INFO_RING_IDX) or ring_idx < 64,
                 P.ERR_INVALID_PARAMETER, "ring_idx %d" % ring_idx)
            body = P.BODY[ctype]
            if len(req) >= P.HDR.size + body.size:
                args = body.unpack_from(req, P.HDR.size)
            if fault is not None and fault.kind == F.ANSWER:
                raise CmdError(fault.arg, "fault")
            need(args is not None, P.ERR_UNSPEC,
                 "%d bytes, needs %d" % (len(req), P.HDR.size + body.size))
            rest = req[P.HDR.size + body.size:]
            result = handler(hdr, args, rest)
        except CmdError as e:
            self._finish(vq, elem, hdr, e.code, b"",
                         "%s%s (%s)" % (what, P.res_note(ctype, args), e.why), fault=fault)
            return
        except MemoryFault as e:
            self._finish(vq, elem, hdr, P.ERR_UNSPEC, b"", "%s (%s)" % (what, e), fault=fault)
            return
        except Exception:            # a bug here must not end the backend
            self.log("ctrl", "%s: internal error\n%s" % (what, traceback.format_exc()))
            self._finish(vq, elem, hdr, P.ERR_UNSPEC, b"", what + " (internal error)", fault=fault)
            return
        if isinstance(result, Deferred):
            self._defer(vq, elem, hdr, result, what, fault)
            return
        rtype, payload, note = result
        self._finish(vq, elem, hdr, rtype, payload, what + note, fault=fault)

    def _defer(self, vq, elem, hdr, result, what, fault):
        # Logged now, so that the log keeps the order commands came in;
        # the answer gets an "answer" line of its own.
        self.log("ctrl", "%s%s -> pending (%s)" % (what, result.note, result.waits_for))
        session = vq.session

        def later(rtype, payload=b"", note=""):
            if vq.session != session:
                self.log("answer", "%s%s: ring stopped, dropped" % (what, note))
                return
            self._finish(vq, elem, hdr, rtype, payload, what + note, kind="answer", fault=fault)
            self.conn.notify(vq)
        result.answer = later

    # --- lookups

    def _res(self, rid, kind=None):
        r = self.resources.get(rid)
        need(r is not None, P.ERR_INVALID_RESOURCE_ID, "no resource %d" % rid)
        need(kind is None or r.kind in kind, P.ERR_INVALID_RESOURCE_ID,
             "resource %d is %s" % (rid, r.kind))
        return r

    def _ctx(self, cid):
        c = self.contexts.get(cid)
        need(c is not None, P.ERR_INVALID_CONTEXT_ID, "no context %d" % cid)
        return c

    def _scanout(self, sid):
        need(sid < len(self.scanouts), P.ERR_INVALID_SCANOUT_ID, "no scanout %d" % sid)
        return self.scanouts[sid]

    def _new_id(self, rid):
        need(rid != 0, P.ERR_INVALID_RESOURCE_ID, "resource id 0")
        need(rid not in self.resources, P.ERR_INVALID_RESOURCE_ID, "resource %d exists" % rid)

    def _need_3d(self):
        need(self.has(P.F_VIRGL), P.ERR_UNSPEC, "3D not negotiated")

    def _entries(self, rest, n):
        need(n <= MAX_ENTRIES, P.ERR_INVALID_PARAMETER, "%d entries" % n)
        need(len(rest) >= n * P.MEM_ENTRY.size, P.ERR_UNSPEC,
             "%d entries in %d bytes" % (n, len(rest)))
        pieces = []
        for i in range(n):
            addr, length = P.MEM_ENTRY.unpack_from(rest, i * P.MEM_ENTRY.size)
            try:
                self.conn.mem.gpa_view(addr, length)
            except MemoryFault:
                raise CmdError(P.ERR_INVALID_PARAMETER,
                               "entry %d: 0x%x+0x%x outside guest memory" % (i, addr, length))
            pieces.append((addr, length))
        return IoVec(self.conn.mem, pieces)

    @staticmethod
    def _ok(payload=b"", note="", rtype=P.RESP_OK_NODATA):
        return rtype, payload, note

    # --- 2D

    def cmd_get_display_info(self, hdr, a, rest):
        if self.opts.display_info == "garbage":
            return self._ok(F.garbage(P.DISPLAY_ONE.size * P.MAX_SCANOUTS), " (fault garbage)",
                            rtype=P.RESP_OK_DISPLAY_INFO)
        out = b""
        for i in range(P.MAX_SCANOUTS):
            if i < len(self.scanouts) and self.scanouts[i].connected:
                s = self.scanouts[i]
                out += P.DISPLAY_ONE.pack(0, 0, s.width, s.height, 1, 0)
            else:
                out += P.DISPLAY_ONE.pack(0, 0, 0, 0, 0, 0)
        return self._ok(out, rtype=P.RESP_OK_DISPLAY_INFO)

    def cmd_get_edid(self, hdr, a, rest):
        need(self.has(P.F_EDID), P.ERR_UNSPEC, "EDID not negotiated")
        s = self._scanout(a[0])
        edid = make_edid(s.width, s.height, serial=s.index)
        size = len(edid) if self.opts.edid_size is None else self.opts.edid_size
        return self._ok(struct.pack("<I4x", size) + edid.ljust(1024, b"\0"),
                        " scanout=%d size=%d" % (s.index, size), P.RESP_OK_EDID)

    def cmd_resource_create_2d(self, hdr, a, rest):
        rid, fmt, w, h = a
        self._new_id(rid)
        need(fmt in P.FORMATS_2D, P.ERR_INVALID_PARAMETER, "format %d" % fmt)
        need(0 < w <= 16384 and 0 < h <= 16384, P.ERR_INVALID_PARAMETER, "size %dx%d" % (w, h))
        r = Resource(rid, "2d")
        r.format, r.width, r.height = fmt, w, h
        r.size = w * h * P.FORMATS_2D[fmt]
        r.host = bytearray(r.size)
        self.resources[rid] = r
        return self._ok(note=" res=%d %dx%d format=%d" % (rid, w, h, fmt))

    def cmd_resource_unref(self, hdr, a, rest):
        r = self._res(a[0])
        if r.map_offset is not None:
            self._unmap(r, None)
        if r.memfd is not None:
            os.close(r.memfd)
        for c in r.contexts:
            if c in self.contexts:
                self.contexts[c].resources.discard(r.id)
        for s in self.scanouts:
            if s.resource_id == r.id:
                s.resource_id, s.blob = 0, None
        del self.resources[r.id]
        return self._ok(note=" res=%d" % r.id)

    def _check_rect(self, r, x, y, w, h):
        need(x + w <= r.width and y + h <= r.height, P.ERR_INVALID_PARAMETER,
             "rect %d,%d %dx%d outside %dx%d" % (x, y, w, h, r.width, r.height))

    def cmd_set_scanout(self, hdr, a, rest):
        x, y, w, h, sid, rid = a
        s = self._scanout(sid)
        if rid == 0:
            s.resource_id, s.blob = 0, None
            return self._ok(note=" scanout=%d off" % sid)
        r = self._res(rid, ("2d", "3d", "blob"))
        if r.kind != "blob":
            self._check_rect(r, x, y, w, h)
        s.resource_id, s.rect, s.blob = rid, (x, y, w, h), None
        return self._ok(note=" scanout=%d res=%d %d,%d %dx%d" % (sid, rid, x, y, w, h))

    def cmd_resource_flush(self, hdr, a, rest):
        x, y, w, h, rid = a
        r = self._res(rid)
        note = " res=%d %d,%d %dx%d" % (rid, x, y, w, h)
        for s in self.scanouts:
            if s.resource_id == rid:
                crc = self._scanout_crc(s, r)
                note += " scanout=%d crc=%s" % (s.index, "%08x" % crc if crc is not None else "-")
        return self._ok(note=note)

    def _scanout_crc(self, s, r):
        """CRC-32 of what scanout s shows: the rows of its rectangle, each
        width*4 bytes, top to bottom (tests compare it with the guest's)."""
        try:
            x, y, w, h = s.rect
            crc = 0
            if s.blob:
                bw, bh, fmt, strides, offsets = s.blob
                if r.backing is not None:
                    read = r.backing.read
                elif r.memfd is not None:
                    def read(off, n):
                        return os.pread(r.memfd, n, off)
                else:
                    return None
                for row in range(y, y + h):
                    crc = zlib.crc32(read(offsets[0] + row * strides[0] + 4 * x, 4 * w), crc)
                return crc
            if r.host is None:
                return None
            stride = r.width * 4
            for row in range(y, y + h):
                off = row * stride + 4 * x
                crc = zlib.crc32(r.host[off:off + 4 * w], crc)
            return crc
        except MemoryFault:
            return None

    def cmd_transfer_to_host_2d(self, hdr, a, rest):
        x, y, w, h, offset, rid = a
        r = self._res(rid, ("2d", "blob"))
        note = " res=%d %d,%d %dx%d offset=%d" % (rid, x, y, w, h, offset)
        if r.kind == "blob":
            # A guest blob is read in place: nothing to copy.
            return self._ok(note=note)
        need(r.backing is not None, P.ERR_UNSPEC, "resource %d has no backing" % rid)
        self._check_rect(r, x, y, w, h)
        stride = r.width * 4
        for row in range(h):
            src = offset + row * stride
            dst = (y + row) * stride + 4 * x
            try:
                r.host[dst:dst + 4 * w] = r.backing.read(src, 4 * w)
            except MemoryFault:
                raise CmdError(P.ERR_INVALID_PARAMETER, "row %d outside the backing" % row)
        return self._ok(note=note)

    def cmd_resource_attach_backing(self, hdr, a, rest):
        rid, n = a
        r = self._res(rid, ("2d", "3d"))
        need(r.backing is None, P.ERR_UNSPEC, "resource %d already has backing" % rid)
        r.backing = self._entries(rest, n)
        return self._ok(note=" res=%d entries=%d bytes=%d" % (rid, n, r.backing.size))

    def cmd_resource_detach_backing(self, hdr, a, rest):
        r = self._res(a[0], ("2d", "3d"))
        need(r.backing is not None, P.ERR_UNSPEC, "resource %d has no backing" % r.id)
        r.backing = None
        return self._ok(note=" res=%d" % r.id)

    def cmd_get_capset_info(self, hdr, a, rest):
        i = a[0]
        need(i < len(self.opts.capsets), P.ERR_INVALID_PARAMETER, "capset index %d" % i)
        cid, ver, data = self.opts.capsets[i]
        size = self.opts.capset_info_size.get(cid, len(data))
        return self._ok(P.CAPSET_INFO.pack(cid, ver, size),
                        " index=%d -> id=%d version=%d size=%d" % (i, cid, ver, size),
                        P.RESP_OK_CAPSET_INFO)

    def cmd_get_capset(self, hdr, a, rest):
        cid, ver = a
        for c, maxver, data in self.opts.capsets:
            if c == cid:
                need(ver <= maxver, P.ERR_INVALID_PARAMETER, "version %d > %d" % (ver, maxver))
                return self._ok(data, " id=%d version=%d" % (cid, ver), P.RESP_OK_CAPSET)
        raise CmdError(P.ERR_INVALID_PARAMETER, "no capset %d" % cid)

    def cmd_resource_assign_uuid(self, hdr, a, rest):
        need(self.has(P.F_RESOURCE_UUID), P.ERR_UNSPEC, "RESOURCE_UUID not negotiated")
        r = self._res(a[0])
        if r.uuid is None:
            r.uuid = uuid.uuid4().bytes
        return self._ok(r.uuid, " res=%d uuid=%s" % (r.id, uuid.UUID(bytes=r.uuid)),
                        P.RESP_OK_RESOURCE_UUID)

    # --- blobs

    def _alignment(self):
        if self.has(P.F_BLOB_ALIGNMENT) and self.opts.blob_alignment:
            return self.opts.blob_alignment
        return PAGE

    def cmd_resource_create_blob(self, hdr, a, rest):
        need(self.has(P.F_RESOURCE_BLOB), P.ERR_UNSPEC, "RESOURCE_BLOB not negotiated")
        rid, mem, flags, n, blob_id, size = a
        note = " res=%d mem=%d flags=0x%x blob_id=%d size=%d entries=%d" % (
            rid, mem, flags, blob_id, size, n)
        self._new_id(rid)
        need(mem in (P.BLOB_MEM_GUEST, P.BLOB_MEM_HOST3D, P.BLOB_MEM_HOST3D_GUEST),
             P.ERR_INVALID_PARAMETER, "blob_mem %d" % mem)
        need(not flags & ~7, P.ERR_INVALID_PARAMETER, "blob_flags 0x%x" % flags)
        need(size > 0, P.ERR_INVALID_PARAMETER, "size 0")
        if self.has(P.F_BLOB_ALIGNMENT):
            need(size % self._alignment() == 0, P.ERR_INVALID_PARAMETER,
                 "size %d not a multiple of %d" % (size, self._alignment()))
        r = Resource(rid, "blob")
        r.blob_mem, r.blob_flags, r.blob_id, r.size = mem, flags, blob_id, size
        ctx = None
        if mem != P.BLOB_MEM_GUEST:
            self._need_3d()
            ctx = self._ctx(hdr[3])
            need(size <= self.opts.max_blob, P.ERR_OUT_OF_MEMORY, "size %d" % size)
        if mem != P.BLOB_MEM_HOST3D:
            need(n > 0, P.ERR_INVALID_PARAMETER, "guest blob without entries")
            r.backing = self._entries(rest, n)
            need(r.backing.size >= size, P.ERR_INVALID_PARAMETER,
                 "entries hold %d bytes of %d" % (r.backing.size, size))
        if mem != P.BLOB_MEM_GUEST:
            contents = self.personality.host_blob(ctx, blob_id, size)
            need(contents is not None, P.ERR_INVALID_PARAMETER,
                 "personality refuses blob_id %d" % blob_id)
            r.memfd = self._memfd(rid, contents, size)
            r.contexts.add(ctx.id)
            ctx.resources.add(rid)
        self.resources[rid] = r
        return self._ok(note=note)

    def _memfd(self, rid, contents, size):
        """A memfd holding the blob, filled 4 MiB at a time."""
        fd = os.memfd_create("vgt-blob-%d" % rid, os.MFD_CLOEXEC)
        try:
            os.ftruncate(fd, (size + PAGE - 1) // PAGE * PAGE)
            chunk = 4 << 20
            for off in range(0, size, chunk):
                os.pwrite(fd, contents(off, min(chunk, size - off)), off)
        except OSError as e:
            os.close(fd)
            raise CmdError(P.ERR_OUT_OF_MEMORY, "blob memfd: %s" % e)
        return fd

    @staticmethod
    def _map_len(r):
        return (r.size + PAGE - 1) // PAGE * PAGE

    def cmd_resource_map_blob(self, hdr, a, rest):
        rid, offset = a
        r = self._res(rid, ("blob",))
        note = " res=%d offset=0x%x" % (rid, offset)
        need(self.opts.hostmem, P.ERR_UNSPEC, "no host-visible region")
        need(r.memfd is not None, P.ERR_INVALID_PARAMETER, "not a host blob")
        need(r.blob_flags & P.BLOB_FLAG_MAPPABLE, P.ERR_INVALID_PARAMETER, "not MAPPABLE")
        need(r.map_offset is None, P.ERR_INVALID_PARAMETER, "already mapped")
        need(offset % self._alignment() == 0, P.ERR_INVALID_PARAMETER,
             "offset not a multiple of %d" % self._alignment())
        length = self._map_len(r)
        need(offset + length <= self.opts.hostmem, P.ERR_INVALID_PARAMETER,
             "0x%x+0x%x outside the 0x%x window" % (offset, length, self.opts.hostmem))
        for off, other in self.mappings.items():
            olen = self._map_len(self.resources[other])
            need(offset + length <= off or off + olen <= offset, P.ERR_INVALID_PARAMETER,
                 "overlaps resource %d at 0x%x" % (other, off))
        need(self.conn.backend is not None, P.ERR_UNSPEC, "no backend channel")
        r.map_offset = offset
        self.mappings[offset] = rid
        deferred = Deferred("SHMEM_MAP", note)

        def mapped(status):
            if status == 0:
                deferred.answer(P.RESP_OK_MAP_INFO, struct.pack("<I4x", P.MAP_CACHE_CACHED), note)
            else:
                self.mappings.pop(offset, None)
                r.map_offset = None
                deferred.answer(P.ERR_UNSPEC, b"", note + " (SHMEM_MAP failed: %d)" % status)
        self.conn.backend.shmem_map(P.SHM_ID_HOST_VISIBLE, r.memfd, 0, offset, length, mapped)
        return deferred

    def _unmap(self, r, done):
        offset = r.map_offset
        self.mappings.pop(offset, None)
        r.map_offset = None
        if self.conn.backend:
            self.conn.backend.shmem_unmap(P.SHM_ID_HOST_VISIBLE, offset, self._map_len(r), done)
        elif done:
            done(-1)

    def cmd_resource_unmap_blob(self, hdr, a, rest):
        r = self._res(a[0], ("blob",))
        need(r.map_offset is not None, P.ERR_INVALID_PARAMETER, "not mapped")
        note = " res=%d offset=0x%x" % (r.id, r.map_offset)
        deferred = Deferred("SHMEM_UNMAP", note)

        def unmapped(status):
            if status == 0:
                deferred.answer(P.RESP_OK_NODATA, b"", note)
            else:
                deferred.answer(P.ERR_UNSPEC, b"", note + " (SHMEM_UNMAP failed: %d)" % status)
        self._unmap(r, unmapped)
        return deferred

    def cmd_set_scanout_blob(self, hdr, a, rest):
        x, y, w, h, sid, rid, bw, bh, fmt = a[:9]
        strides, offsets = a[9:13], a[13:17]
        s = self._scanout(sid)
        note = " scanout=%d res=%d %dx%d format=%d stride=%d offset=%d" % (
            sid, rid, bw, bh, fmt, strides[0], offsets[0])
        if rid == 0:
            s.resource_id, s.blob = 0, None
            return self._ok(note=note)
        r = self._res(rid, ("blob",))
        need(fmt in P.FORMATS_2D, P.ERR_INVALID_PARAMETER, "format %d" % fmt)
        need(bw and bh and strides[0] >= bw * 4, P.ERR_INVALID_PARAMETER, "size or stride")
        need(offsets[0] + strides[0] * (bh - 1) + bw * 4 <= r.size, P.ERR_INVALID_PARAMETER,
             "framebuffer larger than the blob")
        need(x + w <= bw and y + h <= bh, P.ERR_INVALID_PARAMETER, "rect outside the framebuffer")
        s.resource_id, s.rect = rid, (x, y, w, h)
        s.blob = (bw, bh, fmt, strides, offsets)
        return self._ok(note=note)

    # --- 3D

    def cmd_ctx_create(self, hdr, a, rest):
        self._need_3d()
        nlen, init, name = a
        cid = hdr[3]
        need(cid != 0, P.ERR_INVALID_CONTEXT_ID, "context id 0")
        need(cid not in self.contexts, P.ERR_INVALID_CONTEXT_ID, "context %d exists" % cid)
        need(nlen <= 64, P.ERR_INVALID_PARAMETER, "nlen %d" % nlen)
        capset = init & P.CONTEXT_INIT_CAPSET_ID_MASK
        need(not init & ~P.CONTEXT_INIT_CAPSET_ID_MASK, P.ERR_INVALID_PARAMETER,
             "context_init 0x%x" % init)
        if capset:
            need(self.has(P.F_CONTEXT_INIT), P.ERR_INVALID_PARAMETER, "CONTEXT_INIT not negotiated")
            need(any(c[0] == capset for c in self.opts.capsets), P.ERR_INVALID_PARAMETER,
                 "capset %d not offered" % capset)
        label = name[:nlen].decode("utf-8", "replace")
        self.contexts[cid] = Context(cid, capset, label)
        return self._ok(note=" capset=%d name=%r" % (capset, label))

    def cmd_ctx_destroy(self, hdr, a, rest):
        self._need_3d()
        c = self._ctx(hdr[3])
        for rid in c.resources:
            if rid in self.resources:
                self.resources[rid].contexts.discard(c.id)
        del self.contexts[c.id]
        return self._ok()

    def cmd_ctx_attach_resource(self, hdr, a, rest):
        self._need_3d()
        c = self._ctx(hdr[3])
        r = self._res(a[0])
        c.resources.add(r.id)
        r.contexts.add(c.id)
        return self._ok(note=" res=%d" % r.id)

    def cmd_ctx_detach_resource(self, hdr, a, rest):
        self._need_3d()
        c = self._ctx(hdr[3])
        r = self._res(a[0])
        need(r.id in c.resources, P.ERR_INVALID_RESOURCE_ID, "resource %d not attached" % r.id)
        c.resources.discard(r.id)
        r.contexts.discard(c.id)
        return self._ok(note=" res=%d" % r.id)

    def cmd_resource_create_3d(self, hdr, a, rest):
        self._need_3d()
        rid, target, fmt, bind, w, h, d, arr, last_level, samples, flags = a
        self._new_id(rid)
        need(w and h and d and arr, P.ERR_INVALID_PARAMETER, "empty %dx%dx%d[%d]" % (w, h, d, arr))
        if target == PIPE_BUFFER:
            need(h == 1 and d == 1 and w <= self.opts.max_blob, P.ERR_INVALID_PARAMETER,
                 "buffer of %dx%dx%d" % (w, h, d))
        else:
            need(w <= 16384 and h <= 16384 and d <= 2048 and arr <= 2048,
                 P.ERR_INVALID_PARAMETER, "size %dx%dx%d[%d]" % (w, h, d, arr))
        r = Resource(rid, "3d")
        r.format, r.width, r.height = fmt, w, h
        r.target, r.depth = target, max(d, arr)
        self.resources[rid] = r
        return self._ok(note=" res=%d target=%d format=%d bind=0x%x %dx%dx%d" % (
            rid, target, fmt, bind, w, h, d))

    def _transfer_3d(self, hdr, a, to_host):
        """The echo model of 3D transfers: the host keeps a plain copy of
        each resource (buffers 1 byte per texel, everything else 4) and
        copies the box between it and the backing, rows `stride` apart and
        layers `layer_stride` apart in the backing, from `offset`."""
        self._need_3d()
        x, y, z, w, h, d = a[:6]
        offset, rid, level, stride, layer_stride = a[6:11]
        r = self._res(rid, ("3d", "blob"))
        note = " res=%d box=%d,%d,%d %dx%dx%d offset=%d level=%d stride=%d" % (
            rid, x, y, z, w, h, d, offset, level, stride)
        if r.kind == "blob":
            return self._ok(note=note)
        need(r.backing is not None, P.ERR_UNSPEC, "resource %d has no backing" % rid)
        bpp = 1 if r.target == PIPE_BUFFER else 4
        need(x + w <= r.width and y + h <= r.height and z + d <= r.depth,
             P.ERR_INVALID_PARAMETER, "box outside %dx%dx%d" % (r.width, r.height, r.depth))
        row_bytes = r.width * bpp
        stride = stride or row_bytes
        layer_stride = layer_stride or stride * h
        if r.host is None:
            need(row_bytes * r.height * r.depth <= self.opts.max_blob, P.ERR_OUT_OF_MEMORY,
                 "resource too large for the echo model")
            r.host = bytearray(row_bytes * r.height * r.depth)
        n = w * bpp
        for layer in range(d):
            for row in range(h):
                src = offset + layer * layer_stride + row * stride
                dst = ((z + layer) * r.height + y + row) * row_bytes + x * bpp
                try:
                    if to_host:
                        r.host[dst:dst + n] = r.backing.read(src, n)
                    else:
                        r.backing.write(src, bytes(r.host[dst:dst + n]))
                except MemoryFault:
                    raise CmdError(P.ERR_INVALID_PARAMETER,
                                   "row %d of layer %d outside the backing" % (row, layer))
        return self._ok(note=note)

    def cmd_transfer_to_host_3d(self, hdr, a, rest):
        return self._transfer_3d(hdr, a, True)

    def cmd_transfer_from_host_3d(self, hdr, a, rest):
        return self._transfer_3d(hdr, a, False)

    def cmd_submit_3d(self, hdr, a, rest):
        self._need_3d()
        c = self._ctx(hdr[3])
        size = a[0]
        need(size <= len(rest), P.ERR_INVALID_PARAMETER,
             "size %d, %d bytes follow" % (size, len(rest)))
        data = rest[:size]
        if F.is_directive(data):
            return self._arm_faults(data)
        delay = self.personality.submit(c, hdr[4], data)
        self._submit_delay = delay
        when = "never" if delay is None else "%dms" % round(delay * 1000)
        return self._ok(note=" size=%d takes=%s head=%s" % (size, when, data[:8].hex()))

    def _arm_faults(self, data):
        """A SUBMIT_3D of VGTF records (faults.py): arm them, take no time."""
        try:
            faults = F.parse(data)
        except ValueError as e:
            raise CmdError(P.ERR_INVALID_PARAMETER, "VGTF: %s" % e)
        self.faults.arm(faults)
        return self._ok(note=" size=%d faults=%d" % (len(data), len(faults)))

    # --- the cursor queue: no responses

    def cursor_cmd(self, vq, elem):
        try:
            req = vq.gather(elem, 4096)
        except MemoryFault as e:
            self.log("cursor", "unreadable request: %s" % e)
            vq.push(elem.head, 0)
            return
        vq.push(elem.head, 0)
        if len(req) < P.HDR.size + 32:
            self.log("cursor", "request of %d bytes" % len(req))
            return
        ctype = P.HDR.unpack_from(req)[0]
        sid, x, y, _, rid, hx, hy = P.BODY[0x300].unpack_from(req, P.HDR.size)
        name = P.cmd_name(ctype)
        if ctype == 0x300:
            ok = rid == 0 or rid in self.resources
            self.log("cursor", "UPDATE_CURSOR scanout=%d %d,%d res=%d hot=%d,%d%s" % (
                sid, x, y, rid, hx, hy, "" if ok else " (no such resource)"))
            self.cursor = {"scanout": sid, "x": x, "y": y, "res": rid}
        elif ctype == 0x301:
            self.log("cursor", "MOVE_CURSOR scanout=%d %d,%d" % (sid, x, y))
            self.cursor.update(scanout=sid, x=x, y=y)
        else:
            self.log("cursor", "%s on the cursor queue (ignored)" % name)
