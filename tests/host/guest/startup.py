# SPDX-License-Identifier: GPL-2.0-only
"""The startup-fault checks of faults.py --startup NAME: the host was
started with a --fault-* option (what the driver reads at probe). Each
check asserts that the driver probed and copes, or refused cleanly with a
message; vm-run fails the run on any kernel report. A passing check
records what the driver said about the fault as its reason line."""

import os
import subprocess
import time

import drm
from smoke import Fail, expect, parse_capsets
from vgthost.personality import capset_data

DRIVER_WORDS = ("virtgpu2", "virtio_gpu", "[drm]", "virtio-pci")


def driver_messages(words=()):
    """The guest kernel's lines from the DRM drivers (and holding every
    one of words)."""
    try:
        text = subprocess.run(["dmesg"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [ln for ln in text.splitlines()
            if any(w in ln for w in DRIVER_WORDS) and all(w in ln for w in words)]


def probed(node="/dev/dri/card0"):
    """The driver's device, or Fail with what the driver said instead."""
    for _ in range(50):
        if os.path.exists(node):
            return drm.Device(node)
        time.sleep(0.1)
    said = [ln for ln in driver_messages() if "probe" in ln or "fail" in ln or "error" in ln]
    expect(said, "no %s and no message from the driver" % node)
    raise Refused(said[-1].strip())


class Refused(Exception):
    """The driver refused the device with a message: a clean outcome."""


def caps_result(card, cid, version, size):
    try:
        return 0, card.get_caps(cid, version, size)
    except OSError as e:
        return e.errno, b""


def num_capsets(args):
    card = probed()
    try:
        mask = card.getparam(drm.PARAM_SUPPORTED_CAPSET_IDS)
    finally:
        card.close()
    want = sum(1 << c[0] for c in parse_capsets(args.capsets))
    said = driver_messages(["capset"])
    return [("startup-num-capsets", "mask 0x%x; %s" % (mask, said[0].strip() if said else "")),
            ("startup-num-capsets-kept", None if mask == want else
             Fail("capset mask 0x%x, the host offers 0x%x" % (mask, want)))]


def capset_size(args):
    """Capset 5's CAPSET_INFO states max_size 2^32-1: fetching it gives an
    errno or its true bytes, and the other capsets work."""
    card = probed()
    try:
        offered = parse_capsets(args.capsets)
        got, data = caps_result(card, 5, 0, 32)
        others = [(c, caps_result(card, c, v, n)[1] == capset_data(c, v, n))
                  for c, v, n in offered if c != 5]
    finally:
        card.close()
    bad = None
    if got == 0 and data != capset_data(5, 0, 32):
        bad = Fail("GET_CAPS 5 succeeded with bytes not the host's")
    elif not all(ok for _, ok in others):
        bad = Fail("other capsets: %s" % others)
    return [("startup-capset-size", bad or "GET_CAPS 5: %s" % (os.strerror(got) if got else "ok"))]


def capset_versions(args):
    """Capset 6 claims 2^32-1 versions: version 0 still works, a huge one
    returns (an errno or bytes) without trouble."""
    card = probed()
    try:
        c = next(c for c in parse_capsets(args.capsets) if c[0] == 6)
        got0, data0 = caps_result(card, 6, 0, c[2])
        huge, _ = caps_result(card, 6, 0x7fffffff, c[2])
    finally:
        card.close()
    bad = None
    if got0 or data0 != capset_data(6, c[1], c[2]):
        bad = Fail("GET_CAPS 6 v0: %s" % (os.strerror(got0) if got0 else "bytes not the host's"))
    return [("startup-capset-versions", bad or "v0 ok, v2^31-1: %s"
             % (os.strerror(huge) if huge else "ok"))]


def connectors(card):
    """[(connector id, connection, modes)] of every connector."""
    out = []
    for cid in card.resources()["connectors"]:
        c = card.connector(cid)
        out.append((cid, c["connection"], [drm.Device.mode_size(m) for m in c["modes"]]))
    return out


def probed_connectors():
    """connectors() of the probed device, which is closed again."""
    card = probed()
    try:
        return connectors(card)
    finally:
        card.close()


def scanouts_17(args):
    conns = probed_connectors()
    bad = None if 1 <= len(conns) <= 16 else Fail("%d connectors" % len(conns))
    return [("startup-scanouts-17", bad or "%d connectors" % len(conns))]


def scanouts_0(args):
    """No scanouts: a render node, and no connector (or no KMS at all)."""
    node = "/dev/dri/card0" if os.path.exists("/dev/dri/card0") else "/dev/dri/renderD128"
    card = probed(node)
    try:
        try:
            conns = connectors(card)
        except OSError as e:
            conns = "KMS: %s" % os.strerror(e.errno)
    finally:
        card.close()
    bad = Fail("%d connectors" % len(conns)) if isinstance(conns, list) and conns else None
    return [("startup-scanouts-0", bad or "%s, %s" % (node, conns if conns else "no connector"))]


def edid_size(args):
    """Every EDID answer claims 2^32-1 bytes: the connector still has modes."""
    conns = probed_connectors()
    connected = [c for c in conns if c[1] == 1]
    bad = None if connected and connected[0][2] else Fail("connectors %s" % conns)
    return [("startup-edid-size", bad or "modes %s" % connected[0][2][:3])]


def display_garbage(args):
    """Display info of noise: the driver probes and its KMS ioctls answer."""
    conns = probed_connectors()
    return [("startup-display-garbage", "%d connectors, %s" % (
        len(conns), [(c[1], c[2][:2]) for c in conns[:4]]))]


STARTUP = {"num-capsets": num_capsets, "capset-size": capset_size,
           "capset-versions": capset_versions, "scanouts-17": scanouts_17,
           "scanouts-0": scanouts_0, "edid-size": edid_size,
           "display-garbage": display_garbage}


def run(checks, args):
    name = "startup-" + args.startup
    try:
        results = STARTUP[args.startup](args)
    except Refused as e:
        checks.record(name, "pass", "refused cleanly: %s" % e)
        return
    except Exception as e:   # Fail, or an ioctl that failed outright
        checks.record(name, "fail", "%s: %s" % (type(e).__name__, e))
        return
    for check, outcome in results:
        if isinstance(outcome, Exception):
            checks.record(check, "fail", str(outcome))
        else:
            checks.record(check, "pass", outcome or "")
