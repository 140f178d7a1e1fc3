# SPDX-License-Identifier: GPL-2.0-only
"""smoke.py [--out FILE] [OPTIONS]: guest-side checks on the test host.

Runs inside a guest booted by tests/host/with-test-host, on whichever
driver vm-run bound. Prints one line per check: "host/NAME pass", "host/NAME fail REASON" or
"host/NAME skip REASON"; --out gets "host/NAME RESULT" lines, each reason
on a "# host/NAME: REASON" line before its result.
The options say what the host was started with, so that the checks know
what to expect; they must match the backend's options (tests/host/run
passes both)."""

import argparse
import os
import select
import struct
import sys
import threading
import time
import zlib

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
RACE_ROUNDS = 24         # context-init-race: files, each racing CONTEXT_INIT
RACE_HANDLES = 16        # against this many handle opens
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import drm  # noqa: E402
from vgthost.personality import blob_pattern, capset_data  # noqa: E402


class Skip(Exception):
    pass


class Fail(Exception):
    pass


class Checks:
    def __init__(self, out):
        self.out = out
        self.failed = 0

    def record(self, name, result, why=""):
        line = "host/%s %s%s" % (name, result, " " + why if why else "")
        print(line, flush=True)
        if result == "fail":
            self.failed += 1
        if self.out:
            # The results file keeps the tiers' "NAME RESULT" form; a
            # reason goes on a comment line before it.
            with open(self.out, "a") as f:
                if why:
                    f.write("# host/%s: %s\n" % (name, why))
                f.write("host/%s %s\n" % (name, result))

    def run(self, name, fn, *args):
        try:
            fn(*args)
        except Skip as e:
            self.record(name, "skip", str(e))
        except Fail as e:
            self.record(name, "fail", str(e))
        except Exception as e:   # an unexpected error is a failure of that check only
            self.record(name, "fail", "%s: %s" % (type(e).__name__, e))
        else:
            self.record(name, "pass")


def expect(cond, why):
    if not cond:
        raise Fail(why)


def parse_capsets(text):
    out = []
    for item in filter(None, text.split(",")):
        parts = item.split(":")
        out.append((int(parts[0]), int(parts[1]) if len(parts) > 1 else 0,
                    int(parts[2]) if len(parts) > 2 else 64))
    return out


def log_field(line, key):
    """The value of KEY=VALUE in a host log line, or None."""
    return next((w[len(key) + 1:] for w in line.split() if w.startswith(key + "=")), None)


class HostLog:
    """The backend's log, read through the share."""

    def __init__(self, path):
        self.path = path

    def size(self):
        try:
            return os.path.getsize(self.path)
        except OSError:
            return 0

    def lines_since(self, mark):
        try:
            with open(self.path, "rb") as f:
                f.seek(mark)
                return f.read().decode(errors="replace").splitlines()
        except OSError:
            return []


def wait_fences(fds, timeout):
    """Poll sync_file fds; returns the order (indices) in which they
    signalled and the time each took."""
    p = select.poll()
    for fd in fds:
        p.register(fd, select.POLLIN)
    start = time.monotonic()
    order, when = [], {}
    index = {fd: i for i, fd in enumerate(fds)}
    while len(order) < len(fds):
        left = timeout - (time.monotonic() - start)
        if left <= 0:
            break
        for fd, ev in p.poll(left * 1000):
            if ev & (select.POLLIN | select.POLLERR) and index[fd] not in when:
                when[index[fd]] = time.monotonic() - start
                order.append(index[fd])
                p.unregister(fd)
    return order, when


def directive(ms):
    return b"VGTD" + struct.pack("<I", ms)


class Smoke:
    def __init__(self, args):
        self.args = args
        self.capsets = parse_capsets(args.capsets)
        self.card = None
        self.log = HostLog(args.host_log)

    def open(self):
        for _ in range(50):
            if os.path.exists("/dev/dri/card0"):
                break
            time.sleep(0.1)
        self.card = drm.Device("/dev/dri/card0")

    def check_device(self):
        expect(os.path.exists("/dev/dri/renderD128"), "no /dev/dri/renderD128")
        major, minor, _, name = self.card.version()
        expect(name == "virtio_gpu", "driver name %r" % name)
        expect(major == 0, "version major %d" % major)

    def check_param(self, param, want):
        got = self.card.getparam_or_none(param)
        if got is None and param == drm.PARAM_BLOB_ALIGNMENT:
            raise Skip("this kernel's uapi has no BLOB_ALIGNMENT parameter")
        expect(got == want, "got %s, want %s" % (got, want))

    def check_capset_mask(self):
        got = self.card.getparam(drm.PARAM_SUPPORTED_CAPSET_IDS)
        want = 0
        for cid, _, _ in self.capsets:
            want |= 1 << cid
        expect(got == want, "mask 0x%x, want 0x%x" % (got, want))

    def check_get_caps(self, cid, version, size):
        data = self.card.get_caps(cid, version, size)
        want = capset_data(cid, version, size)
        expect(data == want, "capset %d: %d bytes differ from the host's"
               % (cid, sum(a != b for a, b in zip(data, want))))

    def context_capset(self):
        ids = [c[0] for c in self.capsets]
        if not ids:
            raise Skip("the host offers no capset")
        return 6 if 6 in ids else ids[0]

    def check_context_init(self):
        self.card.context_init([(drm.CTX_PARAM_CAPSET_ID, self.context_capset()),
                                (drm.CTX_PARAM_NUM_RINGS, 2)])
        self.ctx_ready = True

    def check_context_init_race(self):
        """CONTEXT_INIT while another thread opens handles on the same file
        (dumb buffers, which need no context): every handle opened before
        the context exists, or while it is being made, must end up
        attached to it (CTX_ATTACH_RESOURCE), whichever comes first. The
        driver keeps a list of the handles opened before the context; a
        handle missed there would be named by the context's streams
        without the host knowing it."""
        missed, made = [], 0
        for rnd in range(RACE_ROUNDS):
            mark = self.log.size()
            dev = drm.Device("/dev/dri/card0")
            handles = []
            go = threading.Event()

            def opener():
                go.wait()
                for _ in range(RACE_HANDLES):
                    handles.append(dev.create_dumb(64, 64)[0])

            t = threading.Thread(target=opener)
            t.start()
            go.set()
            time.sleep(0.0005 * (rnd % 8))      # a different point of the race each round
            dev.context_init([(drm.CTX_PARAM_CAPSET_ID, self.context_capset())])
            t.join()
            ids = [dev.resource_id(h) for h in handles]
            time.sleep(0.2)
            lines = self.log.lines_since(mark)
            ctx = int(next(log_field(ln, "ctx") for ln in lines if "ctrl CTX_CREATE " in ln))
            attached = {int(log_field(ln, "res")) for ln in lines
                        if "ctrl CTX_ATTACH_RESOURCE ctx=%d " % ctx in ln and "-> OK" in ln}
            missed += [(rnd, i) for i in ids if i not in attached]
            made += len(ids)
            dev.close()
        expect(not missed, "handles never attached to their context (round, res): %s"
               % missed[:8])
        print("# context-init-race: %d rounds, %d handles, all attached" % (RACE_ROUNDS, made),
              flush=True)

    def need_context(self):
        if not getattr(self, "ctx_ready", False):
            raise Skip("no context (context-init failed)")

    def check_rings_out_of_order(self):
        """The host's ring personality makes ring 0 slow and ring 1 fast:
        submitted 0 then 1, the fences signal 1 then 0."""
        self.need_context()
        mark = self.log.size()
        order, when = self.submit_and_wait([(bytes(8), 0), (bytes(8), 1)])
        expect(len(order) == 2, "only %s of 2 fences signalled" % order)
        expect(order == [1, 0], "fences signalled in order %s (times %s)" % (order, when))
        lines = [ln for ln in self.log.lines_since(mark) if " SUBMIT_3D " in ln]
        rings = [ln.split(" ring=")[1].split()[0] for ln in lines if " ring=" in ln]
        expect(rings[:2] == ["0", "1"], "host saw SUBMIT_3D on rings %s" % rings)
        self.submit_lines = lines

    def submit_and_wait(self, jobs):
        """Submit each (stream, ring) in turn and wait up to 20 s for
        their out-fences: wait_fences()'s (order, times)."""
        fences = []
        try:
            for stream, ring in jobs:
                fences.append(self.card.execbuffer(stream, ring_idx=ring))
            return wait_fences(fences, 20)
        finally:
            for fd in fences:
                os.close(fd)

    def check_ring_in_order(self):
        """Two submissions on one ring, the first scripted (from the guest)
        to take 800 ms and the second none: the second must not signal
        before the first."""
        self.need_context()
        order, when = self.submit_and_wait([(directive(800), 1), (directive(0), 1)])
        expect(len(order) == 2, "only %s of 2 fences signalled" % order)
        expect(when[1] >= when[0], "the second signalled first (%s)" % when)

    def check_blob_map(self):
        """A HOST3D blob, mapped through the host-visible window, shows the
        backend's bytes."""
        self.need_context()
        size, blob_id = 64 << 10, 0x51ab
        bo, res = self.card.create_blob(drm.BLOB_MEM_HOST3D, drm.BLOB_FLAG_MAPPABLE,
                                        size, blob_id)
        try:
            offset = self.card.map_offset(bo)
            m = self.card.mmap(offset, size)
            try:
                data = m[:size]
            finally:
                m.close()
            want = blob_pattern(blob_id, size)
            bad = next((i for i in range(0, size, 16) if data[i:i + 16] != want[i:i + 16]), None)
            expect(bad is None, "res %d differs at byte %s: %s, want %s"
                   % (res, bad, data[bad:bad + 16].hex() if bad is not None else "",
                      want[bad:bad + 16].hex() if bad is not None else ""))
        finally:
            self.card.gem_close(bo)

    def check_modeset(self):
        """A dumb buffer shown by a legacy SETCRTC: the host's CRC of what
        the scanout shows matches the guest's CRC of what it drew."""
        res = self.card.resources()
        if not res["crtcs"] or not res["connectors"]:
            raise Skip("no CRTC or connector")
        conn = self.card.first_output(res)
        expect(conn is not None, "no connected connector with modes")
        mode = conn[1]
        w, h = drm.Device.mode_size(mode)
        handle, pitch, size = self.card.create_dumb(w, h)
        m = self.card.mmap(self.card.map_dumb(handle), size)
        base = bytes(range(256)) * (w * 4 // 256 + 2)
        crc = 0
        for y in range(h):
            start = (y * 7) % 256
            row = base[start:start + w * 4]
            m[y * pitch:y * pitch + w * 4] = row
            crc = zlib.crc32(row, crc)
        m.close()
        fb = self.card.addfb(w, h, pitch, handle)
        mark = self.log.size()
        self.card.set_crtc(res["crtcs"][0], fb, [conn[0]], mode)
        want = "crc=%08x" % crc
        seen = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            seen = [ln for ln in self.log.lines_since(mark) if "crc=" in ln]
            if any(want in ln for ln in seen):
                break
            time.sleep(0.2)
        self.kms = (res["crtcs"][0], fb)
        expect(any(want in ln for ln in seen),
               "host never showed %s (%dx%d); last flush: %s"
               % (want, w, h, seen[-1].split(" ctrl ")[-1] if seen else "none"))


    def check_cursor(self):
        """With the CRTC of modeset-dumb on: a 64x64 cursor image, then a
        move; the host's cursor queue sees UPDATE_CURSOR and MOVE_CURSOR."""
        if not getattr(self, "kms", None):
            raise Skip("no CRTC on (modeset-dumb failed)")
        crtc = self.kms[0]
        handle, pitch, size = self.card.create_dumb(64, 64)
        m = self.card.mmap(self.card.map_dumb(handle), size)
        m[:size] = b"\xff\x00\x80\xff" * (size // 4)
        m.close()
        mark = self.log.size()
        self.card.cursor(crtc, drm.CURSOR_BO, handle)
        self.card.cursor(crtc, drm.CURSOR_MOVE, x=100, y=50)
        seen = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            seen = [ln.split(" cursor ")[1] for ln in self.log.lines_since(mark) if " cursor " in ln]
            if any(ln.startswith("UPDATE_CURSOR") and " res=0 " not in ln for ln in seen) and \
                    any(" 100,50" in ln for ln in seen):
                break
            time.sleep(0.2)
        self.card.cursor(crtc, drm.CURSOR_BO, 0)
        expect(any(ln.startswith("UPDATE_CURSOR") and " res=0 " not in ln for ln in seen),
               "no UPDATE_CURSOR with an image: %s" % seen)
        expect(any(" 100,50" in ln for ln in seen), "no cursor at 100,50: %s" % seen)

    def kms_off(self):
        if getattr(self, "kms", None):
            self.card.set_crtc(self.kms[0], 0, [], None)
            self.card.rmfb(self.kms[1])
            self.kms = None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", help="append result lines to this file")
    ap.add_argument("--host-log", default="/mnt/share/vgt-host.log")
    ap.add_argument("--capsets", default="4:0:160,5:0:32,6:0:64",
                    help="what the host offers: ID:VERSION:SIZE,...")
    ap.add_argument("--blob-alignment", type=int, default=16384)
    args = ap.parse_args()
    checks = Checks(args.out)
    s = Smoke(args)
    try:
        s.open()
    except OSError as e:
        checks.record("device", "fail", "cannot open /dev/dri/card0: %s" % e)
        return 1
    checks.run("device", s.check_device)
    for name, param, want in (("param-3d", drm.PARAM_3D_FEATURES, 1),
                              ("param-resource-blob", drm.PARAM_RESOURCE_BLOB, 1),
                              ("param-host-visible", drm.PARAM_HOST_VISIBLE, 1),
                              ("param-context-init", drm.PARAM_CONTEXT_INIT, 1),
                              ("param-cross-device", drm.PARAM_CROSS_DEVICE, 1),
                              ("param-blob-alignment", drm.PARAM_BLOB_ALIGNMENT,
                               args.blob_alignment)):
        checks.run(name, s.check_param, param, want)
    checks.run("param-capset-mask", s.check_capset_mask)
    for cid, version, size in s.capsets:
        checks.run("get-caps-%d" % cid, s.check_get_caps, cid, version, size)
    checks.run("context-init", s.check_context_init)
    checks.run("context-init-race", s.check_context_init_race)
    checks.run("rings-out-of-order", s.check_rings_out_of_order)
    checks.run("ring-in-order", s.check_ring_in_order)
    checks.run("blob-host3d-map", s.check_blob_map)
    checks.run("modeset-dumb", s.check_modeset)
    checks.run("cursor", s.check_cursor)
    try:
        s.kms_off()
    except OSError as e:
        checks.record("modeset-off", "fail", str(e))
    s.card.close()
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
