# SPDX-License-Identifier: GPL-2.0-only
"""Just enough of the DRM and virtgpu uapi for the guest-side checks, in
plain Python (fcntl ioctls on packed structs). Layouts are those of
include/uapi/drm/drm.h, drm_mode.h and virtgpu_drm.h."""

import ctypes
import errno
import fcntl
import mmap
import os
import struct

_IOC_WRITE, _IOC_READ = 1, 2


def _ioc(direction, nr, size, kind="d"):
    return (direction << 30) | (size << 16) | (ord(kind) << 8) | nr


def iowr(nr, size):
    return _ioc(_IOC_READ | _IOC_WRITE, nr, size)


def iow(nr, size):
    return _ioc(_IOC_WRITE, nr, size)


VIRTGPU = 0x40   # DRM_COMMAND_BASE

# virtgpu GETPARAM ids.
PARAM_3D_FEATURES = 1
PARAM_CAPSET_QUERY_FIX = 2
PARAM_RESOURCE_BLOB = 3
PARAM_HOST_VISIBLE = 4
PARAM_CROSS_DEVICE = 5
PARAM_CONTEXT_INIT = 6
PARAM_SUPPORTED_CAPSET_IDS = 7
PARAM_EXPLICIT_DEBUG_NAME = 8
PARAM_BLOB_ALIGNMENT = 9

CTX_PARAM_CAPSET_ID = 1
CTX_PARAM_NUM_RINGS = 2
CTX_PARAM_POLL_RINGS_MASK = 3

EXECBUF_FENCE_FD_IN = 0x1
EXECBUF_FENCE_FD_OUT = 0x2
EXECBUF_RING_IDX = 0x4

BLOB_MEM_GUEST = 1
BLOB_MEM_HOST3D = 2
BLOB_MEM_HOST3D_GUEST = 3
BLOB_FLAG_MAPPABLE = 1
BLOB_FLAG_SHAREABLE = 2
BLOB_FLAG_CROSS_DEVICE = 4

VERSION = struct.Struct("<iii4xQQQQQQ")
GETPARAM = struct.Struct("<QQ")
GET_CAPS = struct.Struct("<IIQII")
CONTEXT_INIT = struct.Struct("<IIQ")
EXECBUFFER = struct.Struct("<IIQQIiIIIIQQ")
CREATE_BLOB = struct.Struct("<IIIIQIIQQ")
MAP = struct.Struct("<QII")
GEM_CLOSE = struct.Struct("<II")
RESOURCE_CREATE = struct.Struct("<14I")
TRANSFER = struct.Struct("<11I")       # bo_handle, box x y z w h d, level, offset, stride, layer_stride
WAIT = struct.Struct("<II")
RESOURCE_INFO = struct.Struct("<IIII")  # bo_handle, res_handle, size, blob_mem
WAIT_NOWAIT = 1
PIPE_BUFFER = 0

CARD_RES = struct.Struct("<QQQQIIIIIIII")
GET_CONNECTOR = struct.Struct("<QQQQIIIIIIIIIIII")
MODEINFO_SIZE = 68
GET_ENCODER = struct.Struct("<IIIII")
SET_CRTC = struct.Struct("<QIIIIIII68s")
CREATE_DUMB = struct.Struct("<IIIIIIQ")
MAP_DUMB = struct.Struct("<IIQ")
ADDFB = struct.Struct("<IIIIIII")
CURSOR = struct.Struct("<IIiiIII")
CURSOR_BO = 0x1
CURSOR_MOVE = 0x2


SYNC_FILE_INFO = struct.Struct("<32siIIIQ")


def fence_status(fd):
    """A sync_file's status: 1 signalled, 0 pending, a negative errno when
    it signalled with an error (SYNC_IOC_FILE_INFO)."""
    buf = bytearray(SYNC_FILE_INFO.size)
    fcntl.ioctl(fd, _ioc(_IOC_READ | _IOC_WRITE, 4, SYNC_FILE_INFO.size, ">"), buf, True)
    return SYNC_FILE_INFO.unpack(bytes(buf))[1]


class Buf:
    """A C buffer whose address can go into an ioctl struct."""

    def __init__(self, size_or_bytes):
        self.c = ctypes.create_string_buffer(size_or_bytes)

    @property
    def addr(self):
        return ctypes.addressof(self.c)

    @property
    def raw(self):
        return self.c.raw


_libc = ctypes.CDLL(None, use_errno=True)


class Device:
    def __init__(self, path):
        self.path = path
        self.fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)

    def close(self):
        os.close(self.fd)

    def ioctl(self, request, st, *values):
        buf = bytearray(st.pack(*values))
        fcntl.ioctl(self.fd, request, buf, True)
        return st.unpack(bytes(buf))

    def ioctl_once(self, request, st, *values):
        """ioctl() without Python's retry on EINTR (PEP 475): the call is
        made exactly once, so a test sees what the kernel returned."""
        buf = ctypes.create_string_buffer(st.pack(*values), st.size)
        if _libc.ioctl(self.fd, ctypes.c_ulong(request), buf) < 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))
        return st.unpack(buf.raw)

    def version(self):
        name = Buf(64)
        v = self.ioctl(iowr(0x00, VERSION.size), VERSION, 0, 0, 0, 64, name.addr, 0, 0, 0, 0)
        return v[0], v[1], v[2], name.raw[:v[3]].decode()

    def getparam(self, param):
        out = Buf(8)
        self.ioctl(iowr(VIRTGPU + 0x03, GETPARAM.size), GETPARAM, param, out.addr)
        return struct.unpack("<q", out.raw)[0] & 0xffffffff

    def getparam_or_none(self, param):
        try:
            return self.getparam(param)
        except OSError as e:
            if e.errno in (errno.EINVAL, errno.ENOENT):
                return None
            raise

    def get_caps(self, capset_id, version, size):
        out = Buf(size)
        self.ioctl(iowr(VIRTGPU + 0x09, GET_CAPS.size), GET_CAPS,
                   capset_id, version, out.addr, size, 0)
        return out.raw

    def context_init(self, params):
        arr = Buf(b"".join(struct.pack("<QQ", k, v) for k, v in params))
        self.ioctl(iowr(VIRTGPU + 0x0b, CONTEXT_INIT.size), CONTEXT_INIT,
                   len(params), 0, arr.addr)

    def execbuffer(self, command, ring_idx=None, fence_out=True, bo_handles=(), fence_in=None):
        cmd = Buf(command)
        bos = Buf(b"".join(struct.pack("<I", h) for h in bo_handles) or b"\0\0\0\0")
        flags = EXECBUF_FENCE_FD_OUT if fence_out else 0
        if ring_idx is not None:
            flags |= EXECBUF_RING_IDX
        if fence_in is not None:
            flags |= EXECBUF_FENCE_FD_IN
        r = self.ioctl(iowr(VIRTGPU + 0x02, EXECBUFFER.size), EXECBUFFER,
                       flags, len(command), cmd.addr, bos.addr if bo_handles else 0,
                       len(bo_handles), -1 if fence_in is None else fence_in,
                       ring_idx or 0, 0, 0, 0, 0, 0)
        return r[5] if fence_out else None

    def create_blob(self, blob_mem, blob_flags, size, blob_id=0, cmd=b"", once=False):
        c = Buf(cmd) if cmd else None
        call = self.ioctl_once if once else self.ioctl
        r = call(iowr(VIRTGPU + 0x0a, CREATE_BLOB.size), CREATE_BLOB,
                       blob_mem, blob_flags, 0, 0, size, 0, len(cmd),
                       c.addr if c else 0, blob_id)
        return r[2], r[3]          # bo_handle, res_handle

    def resource_create(self, width, height=1, target=PIPE_BUFFER, fmt=64, bind=1 << 10):
        """A classic resource (a buffer by default); (bo_handle, res_handle)."""
        size = width * height * (1 if target == PIPE_BUFFER else 4)
        r = self.ioctl(iowr(VIRTGPU + 0x04, RESOURCE_CREATE.size), RESOURCE_CREATE,
                       target, fmt, bind, width, height, 1, 1, 0, 0, 0, 0, 0, size, 0)
        return r[10], r[11]

    def resource_id(self, handle):
        """The host's resource id of a handle (VIRTGPU_RESOURCE_INFO)."""
        return self.ioctl(iowr(VIRTGPU + 0x05, RESOURCE_INFO.size), RESOURCE_INFO,
                          handle, 0, 0, 0)[1]

    def transfer_to_host(self, handle, width, height=1):
        self.ioctl(iowr(VIRTGPU + 0x07, TRANSFER.size), TRANSFER,
                   handle, 0, 0, 0, width, height, 1, 0, 0, 0, 0)

    def busy(self, handle):
        """Whether the object still has unsignalled fences (VIRTGPU_WAIT, NOWAIT)."""
        try:
            self.ioctl(iowr(VIRTGPU + 0x08, WAIT.size), WAIT, handle, WAIT_NOWAIT)
        except OSError as e:
            if e.errno == errno.EBUSY:
                return True
            raise
        return False

    def map_offset(self, handle):
        return self.ioctl(iowr(VIRTGPU + 0x01, MAP.size), MAP, 0, handle, 0)[0]

    def gem_close(self, handle):
        self.ioctl(iow(0x09, GEM_CLOSE.size), GEM_CLOSE, handle, 0)

    def mmap(self, offset, size):
        return mmap.mmap(self.fd, size, mmap.MAP_SHARED,
                         mmap.PROT_READ | mmap.PROT_WRITE, offset=offset)

    # --- KMS (legacy ioctls)

    def resources(self):
        req = iowr(0xA0, CARD_RES.size)
        r = self.ioctl(req, CARD_RES, *([0] * 12))
        nfb, ncrtc, nconn, nenc = r[4:8]
        fbs, crtcs, conns, encs = (Buf(4 * max(n, 1)) for n in (nfb, ncrtc, nconn, nenc))
        r = self.ioctl(req, CARD_RES, fbs.addr, crtcs.addr, conns.addr, encs.addr,
                       nfb, ncrtc, nconn, nenc, 0, 0, 0, 0)

        def ids(b, n):
            return list(struct.unpack("<%dI" % n, b.raw[:4 * n]))
        return {"crtcs": ids(crtcs, r[5]), "connectors": ids(conns, r[6]),
                "encoders": ids(encs, r[7])}

    def connector(self, cid):
        req = iowr(0xA7, GET_CONNECTOR.size)
        r = self.ioctl(req, GET_CONNECTOR, *([0] * 8), cid, *([0] * 7))
        nmodes, nprops, nenc = r[4], r[5], r[6]
        modes = Buf(MODEINFO_SIZE * max(nmodes, 1))
        props, values, encs = Buf(4 * max(nprops, 1)), Buf(8 * max(nprops, 1)), Buf(4 * max(nenc, 1))
        r = self.ioctl(req, GET_CONNECTOR, encs.addr, modes.addr, props.addr, values.addr,
                       nmodes, nprops, nenc, 0, cid, 0, 0, 0, 0, 0, 0, 0)
        nmodes = min(nmodes, r[4])
        mlist = [modes.raw[i * MODEINFO_SIZE:(i + 1) * MODEINFO_SIZE] for i in range(nmodes)]
        return {"connection": r[11], "encoder": r[7], "modes": mlist}

    def first_output(self, res=None):
        """(connector id, its first mode) of the first connected connector
        with modes, or None. res: resources(), if the caller has them."""
        for cid in (res or self.resources())["connectors"]:
            c = self.connector(cid)
            if c["connection"] == 1 and c["modes"]:
                return cid, c["modes"][0]
        return None

    @staticmethod
    def mode_size(modeinfo):
        hdisplay = struct.unpack_from("<H", modeinfo, 4)[0]
        vdisplay = struct.unpack_from("<H", modeinfo, 14)[0]
        return hdisplay, vdisplay

    def create_dumb(self, width, height, bpp=32):
        r = self.ioctl(iowr(0xB2, CREATE_DUMB.size), CREATE_DUMB, height, width, bpp, 0, 0, 0, 0)
        return r[4], r[5], r[6]     # handle, pitch, size

    def map_dumb(self, handle):
        return self.ioctl(iowr(0xB3, MAP_DUMB.size), MAP_DUMB, handle, 0, 0)[2]

    def addfb(self, width, height, pitch, handle, bpp=32, depth=24):
        return self.ioctl(iowr(0xAE, ADDFB.size), ADDFB, 0, width, height, pitch, bpp, depth,
                          handle)[0]

    def rmfb(self, fb):
        buf = bytearray(struct.pack("<I", fb))
        fcntl.ioctl(self.fd, iowr(0xAF, 4), buf, True)

    def set_crtc(self, crtc, fb, connectors, mode):
        conns = Buf(b"".join(struct.pack("<I", c) for c in connectors) or b"\0" * 4)
        self.ioctl(iowr(0xA2, SET_CRTC.size), SET_CRTC, conns.addr if connectors else 0,
                   len(connectors), crtc, fb, 0, 0, 0, 1 if mode else 0,
                   mode or bytes(MODEINFO_SIZE))

    def cursor(self, crtc, flags, handle=0, x=0, y=0, width=64, height=64):
        self.ioctl(iowr(0xA3, CURSOR.size), CURSOR, flags, crtc, x, y, width, height, handle)
