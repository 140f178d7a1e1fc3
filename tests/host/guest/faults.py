# SPDX-License-Identifier: GPL-2.0-only
"""faults.py [--out FILE] [--startup NAME] [OPTIONS]: the guest side of
the test host's fault injection (vgthost/faults.py).

Each check arms a fault with a VGTF SUBMIT_3D, makes the driver send the
command it targets, and asserts what the driver's user sees: the ioctl's
errno, the bytes it returned, whether a fence signalled, how long a call
took, whether a stuck process can be killed. The host log (through the
share) says what the host saw. Kernel reports are vm-run's to catch: it
fails the run on any. With --startup NAME the host was started with a
startup fault (tests/host/run says which options) and only that check runs.

Prints and records "host/NAME RESULT" lines as smoke.py does."""

import argparse
import errno
import os
import signal
import struct
import subprocess
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import drm  # noqa: E402
from smoke import Checks, Fail, HostLog, Skip, expect, log_field, parse_capsets, wait_fences  # noqa: E402
from vgthost import faults as F  # noqa: E402
from vgthost import proto as P  # noqa: E402
from vgthost.personality import capset_data  # noqa: E402

CTX_CREATE = 0x200
CREATE_3D = 0x204
GET_CAPSET = 0x109
SUBMIT_3D = 0x207
TRANSFER_TO_HOST_3D = 0x205
# What virtgpu2 makes of each answer (virtgpu2_resp_errno() in virtgpu2_vq.c).
ANSWER_ERRNO = [("ERR_OUT_OF_MEMORY", P.ERR_OUT_OF_MEMORY, errno.ENOMEM),
                ("ERR_INVALID_RESOURCE_ID", P.ERR_INVALID_RESOURCE_ID, errno.ENOENT),
                ("ERR_INVALID_CONTEXT_ID", P.ERR_INVALID_CONTEXT_ID, errno.ENOENT),
                ("ERR_INVALID_PARAMETER", P.ERR_INVALID_PARAMETER, errno.EINVAL),
                ("ERR_UNSPEC", P.ERR_UNSPEC, errno.EIO),
                ("unknown-0x1300", 0x1300, errno.EPROTO)]
BLOB_CMD_TAG = 0x31444d43  # "CMD1": the first 4 bytes of each blob cmd
BLOB_CMD_CALLS = 300
CTX_LATE_MS = 12000      # a CTX_CREATE answered after the driver's 10 s bound
DEAD_MS = 45000          # how long the dead host stays dead
DEAD_BOUND = 15.0        # what a call may take on a dead host (the driver's bound is 10 s)
STALLED_SENDERS = 2      # GET_CAPS senders once a wait for room ran out (capset 6 has 8 versions)
STALLED_BOUND = 3.0      # what each may take: far below the 10 s of a wait of its own


def err_name(e):
    return errno.errorcode.get(e, str(e)) if e else "success"


def create_errno(dev):
    """0 when a RESOURCE_CREATE and the first call that depends on it (a
    transfer) succeed, else the errno of the one that failed; the object
    is closed at once. virtgpu2 posts creates, as the in-tree driver does,
    and reports the host's verdict at that first dependent call."""
    try:
        bo, _ = dev.resource_create(4096)
    except OSError as e:
        return e.errno
    try:
        dev.transfer_to_host(bo, 4096)
        return 0
    except OSError as e:
        return e.errno
    finally:
        dev.gem_close(bo)


# What a posted create sends with it, before its verdict is in, and what
# closing the object sends: the only commands that may name a resource
# the host refused.
SENT_WITH_CREATE = ("ctrl RESOURCE_ATTACH_BACKING ", "ctrl CTX_ATTACH_RESOURCE ",
                    "ctrl CTX_DETACH_RESOURCE ", "ctrl RESOURCE_UNREF ")


class Card:
    """One DRM file with a context on capset `capset` and two rings."""

    def __init__(self, capset):
        self.dev = drm.Device("/dev/dri/card0")
        self.dev.context_init([(drm.CTX_PARAM_CAPSET_ID, capset), (drm.CTX_PARAM_NUM_RINGS, 2)])

    def close(self):
        self.dev.close()


class Faults:
    def __init__(self, args):
        self.args = args
        self.capsets = parse_capsets(args.capsets)
        self.log = HostLog(args.host_log)
        self.capset = 6 if any(c[0] == 6 for c in self.capsets) else self.capsets[0][0]
        self.versions = iter(range(next(c[1] for c in self.capsets if c[0] == self.capset) + 1))
        self.ctl = Card(self.capset)

    def arm(self, *records):
        """Arm faults and wait until the host took them (the arming
        SUBMIT_3D's fence)."""
        fd = self.ctl.dev.execbuffer(b"".join(records))
        try:
            order, _ = wait_fences([fd], 10)
        finally:
            os.close(fd)
        expect(order == [0], "the arming SUBMIT_3D did not signal")

    def host_lines(self, mark, *words, wait=0.0):
        """Log lines since mark holding every word (waiting up to `wait` s)."""
        deadline = time.monotonic() + wait
        while True:
            got = [ln for ln in self.log.lines_since(mark) if all(w in ln for w in words)]
            if got or time.monotonic() >= deadline:
                return got
            time.sleep(0.1)

    def faulted_res(self, mark, name):
        """The resource id of the faulted command `name` after mark."""
        lines = self.host_lines(mark, "ctrl " + name, " fault=", wait=2)
        expect(lines, "the host saw no faulted %s" % name)
        res = log_field(lines[0], "res")
        return int(res) if res else None

    def named_later(self, mark, res):
        """Host log lines after mark, past the faulted create, naming res."""
        tag = " res=%d " % res
        lines = [ln + " " for ln in self.log.lines_since(mark)]
        first = next(i for i, ln in enumerate(lines) if tag in ln)
        return [ln.split(" ", 1)[1].strip() for ln in lines[first + 1:] if tag in ln]

    # --- answers to RESOURCE_CREATE

    def check_create_answer(self, rtype, want):
        """The host refuses CREATE_3D: the first call that depends on it
        gets the errno virtgpu2 maps the answer to, and no command but
        those of SENT_WITH_CREATE names the refused resource."""
        mark = self.log.size()
        self.arm(F.record(CREATE_3D, F.ANSWER, rtype))
        got = create_errno(self.ctl.dev)
        res = self.faulted_res(mark, "RESOURCE_CREATE_3D")
        time.sleep(0.5)
        later = self.named_later(mark, res) if res else []
        expect(got == want, "ioctl gave %s, want %s" % (err_name(got), err_name(want)))
        # The UNREF settles what the host holds, whatever it answered.
        later = [ln for ln in later if not ln.startswith(SENT_WITH_CREATE)]
        expect(not later, "refused res=%d named later: %s" % (res, later[:3]))

    def check_create_bad_answer(self, kind, arg):
        """CREATE_3D runs on the host but its answer is short or of the
        wrong type: the ioctl gets an errno. The host did make the
        resource (the log says so), so the driver must send UNREF for it
        in the end (check_bad_answer_unref)."""
        mark = self.log.size()
        self.arm(F.record(CREATE_3D, kind, arg))
        got = create_errno(self.ctl.dev)
        res = self.faulted_res(mark, "RESOURCE_CREATE_3D")
        made = self.host_lines(mark, "ctrl RESOURCE_CREATE_3D", " res=%d " % res, "-> OK_NODATA")
        self.bad_answer_res = (res, mark) if made else None
        expect(got != 0, "ioctl succeeded")

    def check_bad_answer_unref(self):
        if not getattr(self, "bad_answer_res", None):
            raise Skip("no resource from a bad answer")
        res, mark = self.bad_answer_res
        self.bad_answer_res = None
        later = [ln for ln in self.host_lines(mark, "RESOURCE_UNREF", " res=%d " % res, wait=3)]
        expect(later, "the host made res=%d, the driver never sent its UNREF" % res)

    def check_create_after_bad_answer(self):
        """The next RESOURCE_CREATE, with no fault, succeeds."""
        mark = self.log.size()
        got = create_errno(self.ctl.dev)
        refused = self.host_lines(mark, "ctrl RESOURCE_CREATE_3D", "-> ERR", wait=0.5)
        expect(got == 0, "ioctl gave %s; host: %s" % (err_name(got), refused[:1]))

    # --- a CTX_CREATE answered too late

    def host_ctx(self, mark, *words, wait=2.0):
        """The ctx= of the first CTX_CREATE log line after mark with words."""
        lines = self.host_lines(mark, "ctrl CTX_CREATE ", *words, wait=wait)
        expect(lines, "the host saw no CTX_CREATE %s" % " ".join(words))
        return int(log_field(lines[0], "ctx"))

    def check_ctx_create_late(self):
        """The host makes a context but answers CTX_CREATE only after the
        driver's 10 s bound: CONTEXT_INIT fails with ETIMEDOUT, the driver
        destroys the context the host made (CTX_DESTROY behind the
        create), and never gives that id to another context."""
        mark = self.log.size()
        self.arm(F.record(CTX_CREATE, F.DELAY, CTX_LATE_MS))
        dev = drm.Device("/dev/dri/card0")
        start = time.monotonic()
        try:
            dev.context_init([(drm.CTX_PARAM_CAPSET_ID, self.capset)])
            got = 0
        except OSError as e:
            got = e.errno
        finally:
            took = time.monotonic() - start
            dev.close()
        late = self.host_ctx(mark, " fault=", wait=CTX_LATE_MS / 1000.0 + 3)
        expect(got == errno.ETIMEDOUT, "CONTEXT_INIT gave %s after %.1f s, want ETIMEDOUT"
               % (err_name(got), took))
        destroyed = self.host_lines(mark, "ctrl CTX_DESTROY ctx=%d " % late,
                                    wait=CTX_LATE_MS / 1000.0 + 5)
        expect(destroyed, "the host's context %d was never destroyed" % late)
        again = self.log.size()
        card = Card(self.capset)
        card.close()
        new = self.host_ctx(again)
        expect(new != late, "the timed-out context's id %d was given to a new context" % new)
        print("# ctx-create-late: ETIMEDOUT after %.1f s; ctx %d destroyed; next ctx %d"
              % (took, late, new), flush=True)

    # --- a blob's cmd under signals that restart the call

    def check_blob_cmd_once(self):
        """RESOURCE_CREATE_BLOB with a cmd, under SIGALRM every 200 us
        with SA_RESTART: the kernel restarts an interrupted ioctl by
        itself, so one that restarted after its cmd went out would run
        the cmd twice. Every call's cmd is unique (its first 8 bytes,
        which the host logs): the host must see each at most once, and
        each call that succeeded exactly once."""
        mark = self.log.size()
        tag = BLOB_CMD_TAG.to_bytes(4, "little").hex()
        got = {"ok": [], "EINTR": 0, "signals": 0, "error": None}

        def count(*_):
            got["signals"] += 1

        old = signal.signal(signal.SIGALRM, count)
        signal.siginterrupt(signal.SIGALRM, False)
        signal.setitimer(signal.ITIMER_REAL, 0.0002, 0.0002)
        try:
            for i in range(BLOB_CMD_CALLS):
                cmd = struct.pack("<II", BLOB_CMD_TAG, i)
                try:
                    bo, _ = self.ctl.dev.create_blob(drm.BLOB_MEM_HOST3D, 0, 65536,
                                                     blob_id=i + 1, cmd=cmd, once=True)
                except OSError as e:
                    if e.errno != errno.EINTR:
                        got["error"] = "call %d: %s" % (i, err_name(e.errno))
                        break
                    got["EINTR"] += 1
                    continue
                got["ok"].append(i)
                self.ctl.dev.gem_close(bo)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        time.sleep(0.5)
        heads = {}
        for ln in self.host_lines(mark, "ctrl SUBMIT_3D ", "head=" + tag):
            index = log_field(ln, "head")[8:]       # past the tag
            n = int.from_bytes(bytes.fromhex(index), "little")
            heads[n] = heads.get(n, 0) + 1
        twice = sorted(n for n, c in heads.items() if c > 1)
        expect(not twice, "cmds run more than once by the host (call: times): %s"
               % ", ".join("%d: %d" % (n, heads[n]) for n in twice[:10]))
        expect(not got["error"], got["error"])
        lost = [n for n in got["ok"] if n not in heads]
        expect(not lost, "calls that succeeded but whose cmd never ran: %s" % lost[:10])
        expect(got["signals"] >= BLOB_CMD_CALLS, "only %d signals in %d calls: the storm "
               "missed the calls" % (got["signals"], BLOB_CMD_CALLS))
        print("# blob-cmd-once: %d calls under %d signals, %d succeeded, %d EINTR; "
              "%d cmds ran, none twice" % (BLOB_CMD_CALLS, got["signals"], len(got["ok"]),
                                           got["EINTR"], len(heads)), flush=True)

    # --- answers to GET_CAPSET

    def fresh_version(self):
        """A capset version never fetched, so GET_CAPS must ask the host."""
        v = next(self.versions, None)
        if v is None:
            raise Skip("no capset version left to fetch")
        return v

    def caps_call(self, version):
        """(errno, bytes) of GET_CAPS for the test capset."""
        size = next(c[2] for c in self.capsets if c[0] == self.capset)
        try:
            return 0, self.ctl.dev.get_caps(self.capset, version, size)
        except OSError as e:
            return e.errno, b""

    def want_caps(self):
        cid, ver, size = next(c for c in self.capsets if c[0] == self.capset)
        return capset_data(cid, ver, size)

    def check_caps_fault(self, kind, arg, need_errno):
        """GET_CAPSET answered badly: an errno, or (where the answer still
        holds the whole capset, need_errno False) the host's bytes; never
        other bytes. A retry then gets the host's bytes: nothing bad was
        cached."""
        v = self.fresh_version()
        self.arm(F.record(GET_CAPSET, kind, arg))
        got, data = self.caps_call(v)
        again, data2 = self.caps_call(v)
        want = self.want_caps()
        expect(got or data == want, "succeeded with %d bytes not the host's (%s...)"
               % (len(data), data[:12].hex()))
        expect(got or not need_errno, "succeeded (bytes right) on a %s answer" % F.KINDS[kind])
        expect(again == 0 and data2 == want, "retry of version %d: %s, %s"
               % (v, err_name(again), "host's bytes" if data2 == want else "other bytes"))
        return got

    # --- fences

    def check_fence_never(self):
        """A SUBMIT_3D the host never answers: its fence stays unsignalled
        while a later one of another context, and one on another ring of
        its own context, signal."""
        other = Card(self.capset)
        self.arm(F.record(SUBMIT_3D, F.NEVER))
        fds = []
        try:
            fds.append(self.ctl.dev.execbuffer(bytes(8), ring_idx=0))
            fds.append(other.dev.execbuffer(bytes(8), ring_idx=0))
            fds.append(self.ctl.dev.execbuffer(bytes(8), ring_idx=1))
            order, _ = wait_fences(fds, 5)
        finally:
            for fd in fds:
                os.close(fd)
            other.close()
        expect(sorted(order) == [1, 2], "signalled: %s (0: the unanswered one)" % order)
        # The unanswered submission keeps ring 0 of this context: the rest
        # of the checks use a fresh file, and this one is never closed.
        self.stuck = self.ctl
        self.ctl = Card(self.capset)

    def check_fence_delay(self, ms):
        """A fenced TRANSFER_TO_HOST_3D answered `ms` late: the object is
        busy meanwhile and idle once the fence completes."""
        bo, res = self.ctl.dev.resource_create(4096)
        try:
            self.arm(F.record(TRANSFER_TO_HOST_3D, F.DELAY, ms))
            start = time.monotonic()
            self.ctl.dev.transfer_to_host(bo, 4096)
            busy_at_once = self.ctl.dev.busy(bo)
            while self.ctl.dev.busy(bo) and time.monotonic() - start < 10:
                time.sleep(0.05)
            took = time.monotonic() - start
        finally:
            self.ctl.dev.gem_close(bo)
        expect(busy_at_once, "idle right after the transfer")
        expect(ms / 1000.0 * 0.9 <= took < 10, "idle after %.2f s (delay %d ms)" % (took, ms))

    # --- a dead host

    def check_dead(self, checks):
        """The host stops answering anything. In children, so that this
        process never hangs. First, with room in the ring, a
        RESOURCE_CREATE and a GET_CAPS must return an error within
        DEAD_BOUND s; then a process fills the ring with transfers. Any
        call still waiting at DEAD_BOUND must die of SIGKILL. After the
        host comes back the driver works again. Once the ring-filler's
        wait for room ran out, later senders that need room (GET_CAPS of
        versions never fetched, which wait for the host) fail at once: a
        dead host costs the driver's bound once, not once per sender."""
        version = self.fresh_version()
        first = {"create": self.child("create"), "get-caps": self.child("get-caps", version)}
        full = {"ring-full": self.child("ring-full")}
        later = {"later-get-caps-%d" % i: self.child("get-caps", self.fresh_version())
                 for i in range(STALLED_SENDERS)}
        self.ready(dict(first, **full, **later))
        mark = self.log.size()
        try:
            self.arm(F.record(0, F.DEAD, DEAD_MS))
        finally:
            results = self.go(first)
            results.update(self.go(full))
            stalled = self.go(later)
        for name in ("create", "get-caps"):
            checks.run("dead-" + name, self.judge_dead_call, name, results[name])
        print("# dead host: %s" % results, flush=True)
        print("# senders after the stall: %s" % stalled, flush=True)
        checks.run("dead-kill", self.judge_dead_kill, results)
        checks.run("dead-later-senders", self.judge_later_senders, results["ring-full"], stalled)
        checks.run("dead-recovers", self.check_recovers, mark)

    @staticmethod
    def ready(kids):
        for name, p in kids.items():
            if p.stdout.readline().strip() != "ready":
                for q in kids.values():
                    q.kill()
                raise Fail("child %s did not get ready" % name)

    def go(self, kids):
        """Let the children make their calls; their reap() results."""
        start = time.monotonic()
        for p in kids.values():
            if p.poll() is None:
                p.stdin.write("go\n")
                p.stdin.flush()
        return {name: self.reap(p, start) for name, p in kids.items()}

    def child(self, what, *args):
        cmd = [sys.executable, "-B", os.path.abspath(__file__), "--child", what,
               "--capsets", self.args.capsets] + [str(a) for a in args]
        return subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    @staticmethod
    def reap(p, start):
        """Wait for a child until DEAD_BOUND, then SIGKILL it: (its output,
        seconds it took, whether it had to be killed, seconds to die)."""
        try:
            out, _ = p.communicate(timeout=max(0.1, DEAD_BOUND - (time.monotonic() - start)))
            return out.strip(), time.monotonic() - start, False, 0.0
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            t = time.monotonic()
            try:
                out, _ = p.communicate(timeout=3)
                return (out or "").strip(), t - start, True, time.monotonic() - t
            except subprocess.TimeoutExpired:
                return "", t - start, True, None

    @staticmethod
    def judge_dead_call(name, result):
        out, took, killed, _ = result
        expect(not killed, "%s did not return within %.0f s on a dead host" % (name, DEAD_BOUND))
        expect(out and not out.startswith("0 "), "%s returned success after %.1f s while the host "
               "was dead (%s)" % (name, took, out))

    @staticmethod
    def judge_dead_kill(results):
        stuck = {n: r for n, r in results.items() if r[2]}
        if not stuck:
            raise Skip("every call returned by itself: %s" % {n: r[0] for n, r in results.items()})
        dead = {n: r for n, r in stuck.items() if r[3] is None}
        expect(not dead, "still alive 3 s after SIGKILL: %s" % ", ".join(sorted(dead)))

    @staticmethod
    def judge_later_senders(full, stalled):
        out, took, killed, _ = full
        if killed or not out.startswith("%d " % errno.ETIMEDOUT):
            raise Skip("the ring-filler did not time out (%s after %.1f s)" % (out, took))
        for name, (out, took, killed, _) in sorted(stalled.items()):
            expect(not killed and out.startswith("%d " % errno.ETIMEDOUT),
                   "%s: %s after %.1f s%s, not ETIMEDOUT" % (name, out, took,
                                                           " (killed)" if killed else ""))
            expect(took < STALLED_BOUND, "%s waited %.1f s for room the host already failed "
                   "to give for 10 s (bound %.0f s)" % (name, took, STALLED_BOUND))

    def check_recovers(self, mark):
        back = self.host_lines(mark, "fault host answers again", wait=DEAD_MS / 1000.0 + 10)
        expect(back, "the host never came back")
        time.sleep(2)      # what was held is answered first
        card = Card(self.capset)
        try:
            bo, _ = card.dev.resource_create(4096)
            card.dev.gem_close(bo)
        finally:
            card.close()


def child_main(what, args, extra):
    """One call on its own file, for check_dead. Sets up (a context, a
    buffer) while the host still answers, says "ready", waits for "go",
    then prints "ERRNO SECONDS [CALLS] NAME" (CALLS: transfers that
    returned, for ring-full)."""
    capsets = parse_capsets(args.capsets)
    capset = 6 if any(c[0] == 6 for c in capsets) else capsets[0][0]
    dev = drm.Device("/dev/dri/card0")
    if what != "get-caps":
        dev.context_init([(drm.CTX_PARAM_CAPSET_ID, capset), (drm.CTX_PARAM_NUM_RINGS, 2)])
    if what == "ring-full":
        bo, _ = dev.resource_create(4096)
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.monotonic()
    calls = 0
    try:
        if what == "create":
            bo, _ = dev.resource_create(4096)
            dev.transfer_to_host(bo, 4096)      # the create's verdict
        elif what == "get-caps":
            size = next(c[2] for c in capsets if c[0] == capset)
            dev.get_caps(capset, int(extra[0]), size)
        else:
            for calls in range(1, 5001):
                dev.transfer_to_host(bo, 4096)
        e = 0
    except OSError as ex:
        e = ex.errno
    took = time.monotonic() - start
    returned = calls if e == 0 else calls - 1
    print("%d %.1f%s %s" % (e, took, " %d" % returned if what == "ring-full" else "", err_name(e)),
          flush=True)


def run_runtime(checks, args):
    f = Faults(args)
    for name, rtype, want in ANSWER_ERRNO:
        checks.run("fault-create-" + name, f.check_create_answer, rtype, want)
    checks.run("fault-caps-short-header", f.check_caps_fault, F.SHORT, 8, True)
    checks.run("fault-caps-short-body", f.check_caps_fault, F.SHORT, 24 + 8, True)
    checks.run("fault-caps-wrong-type", f.check_caps_fault, F.WRONG_TYPE, P.RESP_OK_NODATA, True)
    checks.run("fault-caps-error", f.check_caps_fault, F.ANSWER, P.ERR_INVALID_PARAMETER, True)
    checks.run("fault-caps-long", f.check_caps_fault, F.LONG, 4096, False)
    checks.run("fault-ctx-create-late", f.check_ctx_create_late)
    checks.run("blob-cmd-once", f.check_blob_cmd_once)
    checks.run("fault-fence-delay", f.check_fence_delay, 1500)
    checks.run("fault-fence-never", f.check_fence_never)
    f.check_dead(checks)
    # Last: a create whose answer the driver cannot read leaves the host
    # with a resource the driver may have forgotten.
    checks.run("fault-create-wrong-type", f.check_create_bad_answer, F.WRONG_TYPE,
               P.RESP_OK_DISPLAY_INFO)
    checks.run("fault-create-wrong-type-unref", f.check_bad_answer_unref)
    checks.run("fault-create-after-bad-answer", f.check_create_after_bad_answer)
    checks.run("fault-create-short", f.check_create_bad_answer, F.SHORT, 8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", help="append result lines to this file")
    ap.add_argument("--host-log", default="/mnt/share/vgt-host.log")
    ap.add_argument("--capsets", default="4:0:160,5:0:32,6:7:64",
                    help="what the host offers: ID:VERSION:SIZE,...")
    ap.add_argument("--startup", help="the startup fault the host was started with")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args, extra = ap.parse_known_args()
    if args.child:
        child_main(args.child, args, extra)
        return 0
    checks = Checks(args.out)
    for _ in range(50):
        if os.path.exists("/dev/dri/card0") or os.path.exists("/dev/dri/renderD128"):
            break
        time.sleep(0.1)
    if args.startup:
        import startup
        startup.run(checks, args)
    else:
        try:
            run_runtime(checks, args)
        except Exception as e:   # a check's set-up broke: the rest cannot run
            checks.record("faults", "fail", "set-up: %s: %s" % (type(e).__name__, e))
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
