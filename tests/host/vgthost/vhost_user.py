# SPDX-License-Identifier: GPL-2.0-only
"""The vhost-user connection, back-end side (QEMU's docs/interop/vhost-user.rst).

QEMU (the front-end) connects to our unix socket and sends requests: a
12-byte header (request, flags, size) and a payload, with file descriptors
as SCM_RIGHTS. This module answers them, owns the guest memory table and
the virtqueues' set-up, and runs the backend channel (SET_BACKEND_REQ_FD),
on which we send SHMEM_MAP/SHMEM_UNMAP for the host-visible window and
CONFIG_CHANGE_MSG. The device model sees only: features, config space,
"queue N has work", and the backend channel.
"""

import os
import socket
import struct

from .memory import GuestMemory, MemoryFault
from .virtqueue import Virtqueue, BadChain

VERSION = 0x1
FLAG_REPLY = 1 << 2
FLAG_NEED_REPLY = 1 << 3
HDR = struct.Struct("=III")
MAX_PAYLOAD = 4096
MAX_FDS = 16

F_PROTOCOL_FEATURES = 30

# Protocol feature bits.
PF_MQ = 0
PF_REPLY_ACK = 3
PF_BACKEND_REQ = 5
PF_CONFIG = 9
PF_BACKEND_SEND_FD = 10
PF_RESET_DEVICE = 13
PF_SHMEM = 22          # the bit QEMU 11.1 uses (TESTHOST.md)
PROTOCOL_FEATURES = ((1 << PF_MQ) | (1 << PF_REPLY_ACK) | (1 << PF_BACKEND_REQ)
                     | (1 << PF_CONFIG) | (1 << PF_BACKEND_SEND_FD)
                     | (1 << PF_RESET_DEVICE) | (1 << PF_SHMEM))

# Front-end requests.
REQ = {
    1: "GET_FEATURES", 2: "SET_FEATURES", 3: "SET_OWNER", 4: "RESET_OWNER",
    5: "SET_MEM_TABLE", 6: "SET_LOG_BASE", 7: "SET_LOG_FD", 8: "SET_VRING_NUM",
    9: "SET_VRING_ADDR", 10: "SET_VRING_BASE", 11: "GET_VRING_BASE",
    12: "SET_VRING_KICK", 13: "SET_VRING_CALL", 14: "SET_VRING_ERR",
    15: "GET_PROTOCOL_FEATURES", 16: "SET_PROTOCOL_FEATURES", 17: "GET_QUEUE_NUM",
    18: "SET_VRING_ENABLE", 21: "SET_BACKEND_REQ_FD", 24: "GET_CONFIG",
    25: "SET_CONFIG", 34: "RESET_DEVICE", 36: "GET_MAX_MEM_SLOTS",
    39: "SET_STATUS", 40: "GET_STATUS", 44: "GET_SHMEM_CONFIG",
}
# Requests that answer with a payload of their own (no REPLY_ACK then).
REPLIES = {1, 11, 15, 17, 24, 36, 40, 44}

# Backend-channel requests.
BACKEND_CONFIG_CHANGE = 2
BACKEND_SHMEM_MAP = 9
BACKEND_SHMEM_UNMAP = 10
MMAP = struct.Struct("=B7xQQQQ")   # shmid, fd_offset, shm_offset, len, flags
MAP_RW = 1 << 0

VRING_NOFD = 1 << 8
VRING_IDX_MASK = 0xff


class ProtocolError(Exception):
    pass


def _recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def recv_msg(sock):
    """One message: (request, flags, payload, fds). EOFError at hang-up."""
    data, fds, _, _ = socket.recv_fds(sock, HDR.size, MAX_FDS)
    if not data:
        raise EOFError
    if len(data) < HDR.size:
        data += _recv_exact(sock, HDR.size - len(data))
    req, flags, size = HDR.unpack(data)
    if size > MAX_PAYLOAD:
        for fd in fds:
            os.close(fd)
        raise ProtocolError("request %d with a %d-byte payload" % (req, size))
    payload = _recv_exact(sock, size) if size else b""
    return req, flags, payload, list(fds)


def send_msg(sock, req, flags, payload=b"", fds=()):
    data = HDR.pack(req, flags | VERSION, len(payload)) + payload
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.sendall(data)


class BackendChannel:
    """Requests from us to QEMU. Each asks for a reply (NEED_REPLY); replies
    come back in order and run the request's callback with QEMU's u64
    status (0 = done). Nothing here blocks: the loop watches the socket."""

    def __init__(self, sock, loop, log):
        self.sock = sock
        self.loop = loop
        self.log = log
        self.waiting = []
        loop.watch(sock, self._readable)

    def request(self, req, payload, fds=(), done=None):
        try:
            send_msg(self.sock, req, FLAG_NEED_REPLY, payload, fds)
        except OSError as e:
            self.log("vhost", "backend channel send failed: %s" % e)
            if done:
                done(-1)
            return
        self.waiting.append((req, done))

    def _readable(self):
        try:
            req, flags, payload, fds = recv_msg(self.sock)
        except (EOFError, OSError, ProtocolError):
            self.close()
            return
        for fd in fds:
            os.close(fd)
        status = struct.unpack_from("=Q", payload)[0] if len(payload) >= 8 else -1
        if not self.waiting:
            self.log("vhost", "unexpected backend-channel reply %d" % req)
            return
        want, done = self.waiting.pop(0)
        if want != req:
            self.log("vhost", "backend-channel reply %d for request %d" % (req, want))
        if done:
            done(status)

    def close(self):
        self.loop.unwatch(self.sock)
        self.sock.close()
        for _, done in self.waiting:
            if done:
                done(-1)
        self.waiting = []

    def shmem_map(self, shmid, fd, fd_offset, shm_offset, length, done):
        self.request(BACKEND_SHMEM_MAP,
                     MMAP.pack(shmid, fd_offset, shm_offset, length, MAP_RW), [fd], done)

    def shmem_unmap(self, shmid, shm_offset, length, done):
        self.request(BACKEND_SHMEM_UNMAP, MMAP.pack(shmid, 0, shm_offset, length, 0), (), done)

    def config_changed(self):
        self.request(BACKEND_CONFIG_CHANGE, b"", (), None)


class Connection:
    """One front-end. `device` provides:
         features()                  the device feature bits to offer
         set_features(bits)          what the driver accepted
         config_bytes()/write_config(offset, data)
         shmem_sizes()               {shmid: size} of shared memory regions
         queue_ready(vq)             a queue got a kick or was started
         reset()                     the device was reset
         attach(conn)                called once, before any request
    """

    def __init__(self, sock, device, loop, log, num_queues=2, transport_features=0):
        self.sock = sock
        self.device = device
        self.loop = loop
        self.log = log
        self.mem = GuestMemory()
        self.queues = [Virtqueue(i, self.mem) for i in range(num_queues)]
        self.transport_features = transport_features
        self.features = 0
        self.protocol = 0
        self.backend = None
        self.status = 0
        self.sessions = 0             # front-end devices seen on this socket
        self.closed = False
        device.attach(self)
        loop.watch(sock, self._readable)

    # --- the socket

    def _readable(self):
        try:
            req, flags, payload, fds = recv_msg(self.sock)
        except (EOFError, ConnectionResetError):
            self.log("vhost", "front-end hung up")
            self.close()
            return
        except ProtocolError as e:
            self.log("vhost", "protocol error: %s" % e)
            self.close()
            return
        name = REQ.get(req, "request-%d" % req)
        try:
            reply = self._handle(req, payload, fds)
        except (struct.error, ProtocolError, MemoryFault, BadChain, OSError) as e:
            self.log("vhost", "%s failed: %s" % (name, e))
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
            reply = None
            if req in REPLIES:
                reply = bytes(8)
            elif flags & FLAG_NEED_REPLY and self.protocol & (1 << PF_REPLY_ACK):
                send_msg(self.sock, req, FLAG_REPLY, struct.pack("=Q", 1))
                return
        if req in REPLIES:
            send_msg(self.sock, req, FLAG_REPLY, reply if reply is not None else bytes(8))
        elif flags & FLAG_NEED_REPLY and self.protocol & (1 << PF_REPLY_ACK):
            send_msg(self.sock, req, FLAG_REPLY, struct.pack("=Q", 0))

    def close(self):
        if self.closed:
            return
        self.closed = True
        for vq in self.queues:
            self.log("vhost", vq.stats())
        self.loop.unwatch(self.sock)
        for vq in self.queues:
            self._drop_fds(vq)
        if self.backend:
            self.backend.close()
        self.sock.close()
        self.loop.stop()

    def _drop_fds(self, vq):
        for attr in ("kick_fd", "call_fd", "err_fd"):
            fd = getattr(vq, attr)
            if fd is not None:
                if attr == "kick_fd":
                    self.loop.unwatch(fd)
                os.close(fd)
                setattr(vq, attr, None)

    # --- notifications

    def notify(self, vq):
        """Interrupt the driver for vq if it asked for it."""
        if vq.call_fd is None or not vq.started:
            return
        if vq.needs_signal():
            os.write(vq.call_fd, struct.pack("=Q", 1))
        vq.signalled()

    def _kick(self, vq):
        try:
            os.read(vq.kick_fd, 8)
        except BlockingIOError:
            pass
        self.device.queue_ready(vq)

    # --- requests

    def _queue(self, index):
        if index >= len(self.queues):
            raise ProtocolError("queue %d of %d" % (index, len(self.queues)))
        return self.queues[index]

    def _handle(self, req, p, fds):
        name = REQ.get(req, "request-%d" % req)
        self.log.debug("vhost", name)
        if req == 1:
            feats = (self.device.features() | self.transport_features
                     | (1 << F_PROTOCOL_FEATURES))
            return struct.pack("=Q", feats)
        if req == 2:
            self.features = struct.unpack_from("=Q", p)[0]
            for vq in self.queues:
                vq.event_idx = bool(self.features & (1 << 29))
                vq.indirect = bool(self.features & (1 << 28))
            self.log("vhost", "SET_FEATURES 0x%x" % self.features)
            self.device.set_features(self.features)
            return None
        if req in (3, 4):
            return None
        if req == 5:
            return self._set_mem_table(p, fds)
        if req == 8:
            idx, num = struct.unpack_from("=II", p)
            self._queue(idx).num = num
            return None
        if req == 9:
            idx, _flags, desc, used, avail, _log = struct.unpack_from("=IIQQQQ", p)
            vq = self._queue(idx)
            vq.desc_uva, vq.used_uva, vq.avail_uva = desc, used, avail
            return None
        if req == 10:
            idx, num = struct.unpack_from("=II", p)
            self._queue(idx).last_avail = num & 0xffff
            return None
        if req == 11:
            idx, _ = struct.unpack_from("=II", p)
            vq = self._queue(idx)
            base = vq.last_avail
            if vq.kick_fd is not None:
                self.loop.unwatch(vq.kick_fd)
            vq.stop()
            vq.session += 1
            self.device.queue_stopped(vq)
            return struct.pack("=II", idx, base)
        if req in (12, 13, 14):
            return self._set_vring_fd(req, p, fds)
        if req == 15:
            return struct.pack("=Q", PROTOCOL_FEATURES)
        if req == 16:
            self.protocol = struct.unpack_from("=Q", p)[0] & PROTOCOL_FEATURES
            self.log("vhost", "SET_PROTOCOL_FEATURES 0x%x" % self.protocol)
            # QEMU keeps the socket across device_del and device_add and
            # starts the new device with this message, without a reset:
            # the new device must not see the old one's resources.
            if self.sessions:
                self.device.reset()
            self.sessions += 1
            return None
        if req == 17:
            return struct.pack("=Q", len(self.queues))
        if req == 18:
            idx, num = struct.unpack_from("=II", p)
            vq = self._queue(idx)
            vq.enabled = bool(num)
            if vq.enabled:
                self.device.queue_ready(vq)
            return None
        if req == 21:
            if not fds:
                raise ProtocolError("SET_BACKEND_REQ_FD without an fd")
            if self.backend:
                self.backend.close()
            s = socket.socket(fileno=fds[0])
            self.backend = BackendChannel(s, self.loop, self.log)
            for fd in fds[1:]:
                os.close(fd)
            return None
        if req == 24:
            offset, size, flags = struct.unpack_from("=III", p)
            cfg = self.device.config_bytes()
            data = cfg[offset:offset + size]
            data += bytes(size - len(data))
            return struct.pack("=III", offset, size, flags) + data
        if req == 25:
            offset, size, _flags = struct.unpack_from("=III", p)
            self.device.write_config(offset, p[12:12 + size])
            return None
        if req == 34:
            self.log("vhost", "RESET_DEVICE")
            self.device.reset()
            return None
        if req == 36:
            return struct.pack("=Q", 8)
        if req == 39:
            self.status = struct.unpack_from("=Q", p)[0]
            self.log("vhost", "SET_STATUS 0x%x" % self.status)
            if self.status == 0:
                self.device.reset()
            return None
        if req == 40:
            return struct.pack("=Q", self.status)
        if req == 44:
            sizes = self.device.shmem_sizes()
            n = max(sizes) + 1 if sizes else 0
            table = [sizes.get(i, 0) for i in range(8)]
            self.log("vhost", "GET_SHMEM_CONFIG -> %s" % sizes)
            return struct.pack("=II8Q", n, 0, *table)
        self.log("vhost", "unhandled %s (%d bytes)" % (name, len(p)))
        for fd in fds:
            os.close(fd)
        return None

    def _set_mem_table(self, p, fds):
        nregions, = struct.unpack_from("=I", p)
        if nregions > 8 or nregions != len(fds):
            raise ProtocolError("SET_MEM_TABLE: %d regions, %d fds" % (nregions, len(fds)))
        entries = [struct.unpack_from("=QQQQ", p, 8 + 32 * i) for i in range(nregions)]
        for vq in self.queues:
            vq.stop()
        self.mem.set_table(entries, fds)
        self.log("vhost", "SET_MEM_TABLE %s" % " ".join(
            "gpa=0x%x+0x%x" % (g, s) for g, s, _, _ in entries))
        for vq in self.queues:
            if vq.kick_fd is not None:
                self._start(vq)
        return None

    def _set_vring_fd(self, req, p, fds):
        u64, = struct.unpack_from("=Q", p)
        vq = self._queue(u64 & VRING_IDX_MASK)
        fd = None
        if not u64 & VRING_NOFD:
            if not fds:
                raise ProtocolError("%s without an fd" % REQ[req])
            fd = fds[0]
            for extra in fds[1:]:
                os.close(extra)
        attr = {12: "kick_fd", 13: "call_fd", 14: "err_fd"}[req]
        old = getattr(vq, attr)
        if old is not None:
            if req == 12:
                self.loop.unwatch(old)
            os.close(old)
        setattr(vq, attr, fd)
        if req == 12 and fd is not None:
            os.set_blocking(fd, False)
            self.loop.watch(fd, lambda vq=vq: self._kick(vq))
            self._start(vq)
        return None

    def _start(self, vq):
        if not self.mem.regions:
            return
        vq.start()
        self.log("vhost", "queue %d started: size %d, base %d%s%s" % (
            vq.index, vq.num, vq.last_avail, ", event_idx" if vq.event_idx else "",
            ", indirect" if vq.indirect else ""))
        self.device.queue_ready(vq)
