# SPDX-License-Identifier: GPL-2.0-only
"""unplug.py [--out FILE] [--device-id ID] [OPTIONS]: PCI hot-unplug of the
GPU while clients hold everything a user can hold (issue 11, "what users
rely on"), then a hot-plug of a new one.

The test host is the only virtio-gpu device QEMU can unplug
(shared/docs/TESTHOST.md). tests/host/run boots it with the device id
ID; this script unplugs it through the QEMU monitor (scripts/guest/monitor)
while it holds: a render file with a context, a host-visible blob mapped,
a shmem buffer mapped, a fence the host is holding, a job parked behind
another file's fence; and a primary file with a dumb framebuffer on
screen. Then it checks what users see, closes everything, plugs a new
device in and uses it. Kernel reports are vm-run's to catch.

Prints and records "host/NAME RESULT" lines as smoke.py does."""

import argparse
import errno
import glob
import os
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import drm  # noqa: E402
from smoke import Checks, HostLog, Skip, directive, expect, wait_fences  # noqa: E402
from vgthost.personality import blob_pattern  # noqa: E402

MONITOR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(HERE))),
                       "scripts", "guest", "monitor")
HELD_MS = 60000          # how long the host holds the pending job
BLOB_ID, BLOB_SIZE = 0x51ab, 64 << 10
# The test host's device line, as tests/host/with-test-host makes it.
DEVICE = "vhost-user-test-device-pci,chardev=vgt,virtio-id=16,num_vqs=2,config_size=20"


def monitor(command):
    out = subprocess.run([MONITOR, command], capture_output=True, text=True, timeout=90)
    expect(out.returncode == 0, "monitor %r: %s" % (command, out.stderr.strip()))
    return out.stdout.strip()


def wait_for(cond, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


def gpu_present():
    return bool(glob.glob("/sys/class/drm/renderD*"))


def live_counts():
    """virtgpu2's live-object counters (module-wide), or None on a driver
    without them."""
    for path in glob.glob("/sys/kernel/debug/dri/*/virtgpu2_live"):
        with open(path) as f:
            return {k: int(v) for k, v in (ln.split() for ln in f if ln.strip())}
    return None


def read_in_child(m, length):
    """Read a mapping in a child process: ("ok", bytes) or ("signal", N)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            os.write(w, m[:length])
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    os.close(r)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return "signal", os.WTERMSIG(status)
    return "ok", data


class Clients:
    """Everything a user can hold when the device goes away."""

    def __init__(self, capset):
        self.capset = capset
        self.fences = {}
        self.render = drm.Device(glob.glob("/dev/dri/renderD*")[0])
        self.render.context_init([(drm.CTX_PARAM_CAPSET_ID, capset),
                                  (drm.CTX_PARAM_NUM_RINGS, 2)])
        self.other = drm.Device(glob.glob("/dev/dri/renderD*")[0])
        self.other.context_init([(drm.CTX_PARAM_CAPSET_ID, capset),
                                 (drm.CTX_PARAM_NUM_RINGS, 2)])
        bo, _ = self.render.create_blob(drm.BLOB_MEM_HOST3D, drm.BLOB_FLAG_MAPPABLE,
                                        BLOB_SIZE, BLOB_ID)
        self.hostmem = self.render.mmap(self.render.map_offset(bo), BLOB_SIZE)
        expect(self.hostmem[:BLOB_SIZE] == blob_pattern(BLOB_ID, BLOB_SIZE),
               "the blob does not show the host's bytes before the unplug")
        bo, _ = self.render.resource_create(4096)
        self.shmem = self.render.mmap(self.render.map_offset(bo), 4096)
        self.shmem[:8] = b"guestmem"
        # Held by the host (a delay directive on ring 0), and behind it,
        # on another file, a job parked on that fence.
        self.fences["held"] = self.other.execbuffer(directive(HELD_MS), ring_idx=0)
        self.fences["parked"] = self.render.execbuffer(bytes(8), ring_idx=1,
                                                       fence_in=self.fences["held"])
        self.light_up()

    def light_up(self):
        self.card = drm.Device("/dev/dri/card0")
        res = self.card.resources()
        out = self.card.first_output(res)
        if not res["crtcs"] or out is None:
            raise Skip("no connected output")
        crtc, (conn, mode) = res["crtcs"][0], out
        w, h = drm.Device.mode_size(mode)
        handle, pitch, size = self.card.create_dumb(w, h)
        self.dumb = self.card.mmap(self.card.map_dumb(handle), size)
        self.dumb[:8] = b"dumbdumb"
        self.card.set_crtc(crtc, self.card.addfb(w, h, pitch, handle), [conn], mode)

    def files(self):
        return [self.render, self.other, self.card]

    def close(self):
        for m in (self.hostmem, self.shmem, self.dumb):
            m.close()
        for fd in self.fences.values():
            os.close(fd)
        for f in self.files():
            f.close()


def check_parked(c):
    """Before the unplug, the job behind the held fence is still parked:
    EXECBUFFER returned at once and its fence is pending."""
    status = {n: drm.fence_status(fd) for n, fd in c.fences.items()}
    expect(status == {"held": 0, "parked": 0},
           "fence status before the unplug (want both pending): %s" % status)


def check_ioctls(c):
    """Every later ioctl on every file is ENODEV."""
    got = []
    for f in c.files():
        try:
            f.getparam(drm.PARAM_3D_FEATURES)
            got.append("success")
        except OSError as e:
            got.append(errno.errorcode.get(e.errno, str(e.errno)))
    expect(got == ["ENODEV"] * 3, "GETPARAM after the unplug gave %s" % got)
    try:
        c.render.resource_create(4096)
        expect(False, "RESOURCE_CREATE succeeded after the unplug")
    except OSError as e:
        expect(e.errno == errno.ENODEV, "RESOURCE_CREATE gave %s" % os.strerror(e.errno))


def check_fences(c):
    """The fence the host held and the one parked behind it both signal,
    with an error, within 5 s of the unplug."""
    order, _ = wait_fences(list(c.fences.values()), 5)
    names = list(c.fences)
    expect(len(order) == len(names), "signalled: %s of %s" % ([names[i] for i in order], names))
    status = {n: drm.fence_status(fd) for n, fd in c.fences.items()}
    expect(all(s < 0 for s in status.values()),
           "fence status after the unplug (want an error): %s" % status)


def check_hostmem(c):
    """A host-visible mapping gives SIGBUS, never stale memory."""
    how, what = read_in_child(c.hostmem, 64)
    expect(how == "signal" and what == signal.SIGBUS,
           "reading the host-visible mapping: %s" % (
               "signal %d" % what if how == "signal" else "read %s" % what[:16].hex()))


def check_guest_memory(c):
    """Shmem and dumb mappings are guest pages: they still read what was
    written."""
    for name, m, want in (("shmem", c.shmem, b"guestmem"), ("dumb", c.dumb, b"dumbdumb")):
        how, what = read_in_child(m, 8)
        expect(how == "ok" and what == want, "%s mapping: %s %r" % (name, how, what))


class Unplug:
    def __init__(self, args):
        self.args = args
        self.log = HostLog(args.host_log)
        self.clients = None

    def setup(self):
        expect(wait_for(gpu_present, 10), "no render node at start")
        self.live_before = live_counts()
        self.clients = Clients(self.args.capset)

    def unplug(self):
        monitor("device_del " + self.args.device_id)
        expect(wait_for(lambda: not gpu_present(), 20),
               "the render node is still there 20 s after device_del")

    def close(self):
        """Closing every file and mapping returns at once."""
        start = time.monotonic()
        self.clients.close()
        took = time.monotonic() - start
        expect(took < 5, "closing took %.1f s" % took)

    def replug(self):
        """A new device plugged in works: a context, a mapped blob, the
        host's bytes."""
        mark = self.log.size()
        monitor("device_add %s,id=%s" % (DEVICE, self.args.device_id))
        expect(wait_for(gpu_present, 20), "no render node 20 s after device_add")
        expect(wait_for(lambda: os.path.exists("/dev/dri/card0"), 10), "no primary node")
        dev = drm.Device(glob.glob("/dev/dri/renderD*")[0])
        try:
            dev.context_init([(drm.CTX_PARAM_CAPSET_ID, self.args.capset)])
            bo, _ = dev.create_blob(drm.BLOB_MEM_HOST3D, drm.BLOB_FLAG_MAPPABLE,
                                    BLOB_SIZE, BLOB_ID)
            m = dev.mmap(dev.map_offset(bo), BLOB_SIZE)
            ok = m[:BLOB_SIZE] == blob_pattern(BLOB_ID, BLOB_SIZE)
            m.close()
            expect(ok, "the new device's blob does not show the host's bytes")
        finally:
            dev.close()
        bad = [ln for ln in self.log.lines_since(mark) if " -> ERR_" in ln]
        expect(not bad, "the host refused commands of the new device: %s" % bad[:3])

    def live(self):
        """With everything closed, the new device holds what a fresh one
        holds (virtgpu2's module-wide live counters)."""
        if self.live_before is None:
            raise Skip("the driver has no virtgpu2_live counters")
        want = self.live_before

        def settled():
            now = live_counts()
            return now is not None and now == want
        if not wait_for(settled, 10):
            expect(False, "live objects %s, a fresh device had %s" % (live_counts(), want))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", help="append result lines to this file")
    ap.add_argument("--host-log", default="/mnt/share/vgt-host.log")
    ap.add_argument("--capsets", default="", help="what the host offers (unused)")
    ap.add_argument("--capset", type=int, default=6, help="the contexts' capset")
    ap.add_argument("--device-id", default="vgt0", help="the GPU's QEMU device id")
    args = ap.parse_args()
    checks = Checks(args.out)
    u = Unplug(args)
    checks.run("unplug-setup", u.setup)
    if checks.failed:
        return 1
    c = u.clients
    checks.run("unplug-parked", check_parked, c)
    checks.run("unplug-removed", u.unplug)
    if gpu_present():
        return 1             # still there: the rest would test nothing
    checks.run("unplug-ioctls-enodev", check_ioctls, c)
    checks.run("unplug-fences-signal-error", check_fences, c)
    checks.run("unplug-hostmem-sigbus", check_hostmem, c)
    checks.run("unplug-guest-memory-kept", check_guest_memory, c)
    checks.run("unplug-close", u.close)
    checks.run("unplug-replug", u.replug)
    checks.run("unplug-live-objects", u.live)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
