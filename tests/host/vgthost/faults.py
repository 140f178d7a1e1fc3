# SPDX-License-Identifier: GPL-2.0-only
"""Fault injection, scripted by the guest (issue 13).

A SUBMIT_3D stream that starts with b"VGTF" arms faults instead of being
a submission. The stream is one or more 24-byte records, all little-endian:

    offset  field
     0      magic   b"VGTF"
     4      cmd     command type to match (0x0100..0x0209); 0: any control command
     8      nth     1: the next matching command after this stream, 2: the one after ...
    12      count   how many matching commands in a row, from the nth; 0: all from then on
    16      kind    what happens to them (KINDS below)
    20      arg     the kind's argument

Every armed fault counts every matching command, whether or not another
fault fired on it; the first armed fault that fires on a command is the one
applied. Streams that arm faults are never matched themselves, so a test
can always arm or clear. The arming SUBMIT_3D is answered OK_NODATA (a
malformed record: ERR_INVALID_PARAMETER, nothing armed).

This module only decides; device.Device applies the decision where it
belongs (before the handler, at the answer, or at the queue).
"""

import random
import struct

MAGIC = b"VGTF"
RECORD = struct.Struct("<4sIIIII")
assert RECORD.size == 24

CLEAR = 0        # disarm every fault (cmd, nth, count, arg ignored)
ANSWER = 1       # do not run the command; answer with response type arg
SHORT = 2        # run it; write only the first arg bytes of the answer
LONG = 3         # run it; fill the whole buffer, report arg more bytes (0: 4096) as used
WRONG_TYPE = 4   # run it; answer with its payload but header type arg
NEVER = 5        # run it; never answer (the descriptor is kept for good)
DELAY = 6        # run it; answer arg ms later (a fence: its timeline waits); 0xffffffff: never
DEAD = 7         # stop answering the control queue from this command; resume arg ms later (0: never)

KINDS = {CLEAR: "clear", ANSWER: "answer", SHORT: "short", LONG: "long",
         WRONG_TYPE: "wrong-type", NEVER: "never", DELAY: "delay", DEAD: "dead"}
NEVER_MS = 0xffffffff


class Fault:
    def __init__(self, cmd, nth, count, kind, arg):
        self.cmd, self.nth, self.count, self.kind, self.arg = cmd, nth, count, kind, arg
        self.seen = 0

    def counts(self, ctype):
        """Count one command; whether this fault applies to it."""
        if self.cmd and self.cmd != ctype:
            return False
        self.seen += 1
        if self.seen < self.nth:
            return False
        return not self.count or self.seen < self.nth + self.count

    def spent(self):
        """Applied for the last time: disarm it."""
        return bool(self.count) and self.seen >= self.nth + self.count - 1

    def tag(self):
        """How the log names it: kind and argument."""
        name = KINDS[self.kind]
        if self.kind in (ANSWER, WRONG_TYPE):
            return "%s:0x%x" % (name, self.arg)
        if self.kind == NEVER:
            return name
        if self.kind == DELAY and self.arg == NEVER_MS:
            return "delay:never"
        return "%s:%d" % (name, self.arg)

    def describe(self):
        return "%s on %s #%d%s" % (
            self.tag(), "any command" if not self.cmd else "0x%04x" % self.cmd, self.nth,
            " x%d" % self.count if self.count else " and every one after")


def garbage(n, seed=13):
    """n bytes of reproducible noise, for answers that make no sense."""
    return random.Random(seed).randbytes(n)


def is_directive(data):
    return data[:4] == MAGIC


def parse(data):
    """The records of an arming stream: a list of Fault (CLEAR records
    become None). Raises ValueError with the reason for a malformed one."""
    if not data or len(data) % RECORD.size:
        raise ValueError("%d bytes, not a multiple of %d" % (len(data), RECORD.size))
    out = []
    for off in range(0, len(data), RECORD.size):
        magic, cmd, nth, count, kind, arg = RECORD.unpack_from(data, off)
        if magic != MAGIC:
            raise ValueError("record %d: no VGTF magic" % (off // RECORD.size))
        if kind not in KINDS:
            raise ValueError("record %d: kind %d" % (off // RECORD.size, kind))
        if kind == CLEAR:
            out.append(None)
            continue
        if nth < 1:
            raise ValueError("record %d: nth 0" % (off // RECORD.size))
        if cmd and not 0x100 <= cmd < 0x300:
            raise ValueError("record %d: command 0x%x" % (off // RECORD.size, cmd))
        out.append(Fault(cmd, nth, count, kind, arg))
    return out


def record(cmd, kind, arg=0, nth=1, count=1):
    """One record, as a guest test builds it."""
    return RECORD.pack(MAGIC, cmd, nth, count, kind, arg)


class Faults:
    """The armed faults and the dead-host state. The device asks match()
    once per control command, at arrival."""

    def __init__(self, log):
        self.log = log
        self.armed = []
        self.applied = 0

    def arm(self, faults):
        for f in faults:
            if f is None:
                if self.armed:
                    self.log("fault", "cleared %d armed fault(s)" % len(self.armed))
                self.armed = []
                continue
            self.armed.append(f)
            self.log("fault", "armed %s" % f.describe())

    def match(self, ctype):
        """The fault to apply to a command of type ctype, or None."""
        chosen = None
        for f in self.armed:
            if f.counts(ctype) and chosen is None:
                chosen = f
        self.armed = [f for f in self.armed if not f.spent()]
        if chosen is not None:
            self.applied += 1
        return chosen


class Silence:
    """A dead host: the control queue is not read and nothing is answered
    until resume(). What was popped or due meanwhile is kept, in order,
    and handled at resume as if it had just happened."""

    def __init__(self, log):
        self.log = log
        self.dead = False
        self.elems = []          # popped, not yet run
        self.answers = []        # functions that write a held answer
        self.timer = None

    def start(self, loop, ms, resume):
        self.dead = True
        if ms:
            self.timer = loop.after(ms / 1000.0, resume)
        self.log("fault", "host dead from here%s" % (
            " for %d ms" % ms if ms else ", for good"))

    def take(self):
        """Stop being dead; the held answers and commands, in order."""
        self.dead = False
        self.timer = None
        answers, elems = self.answers, self.elems
        self.answers, self.elems = [], []
        self.log("fault", "host answers again: %d held answer(s), %d held command(s)"
                 % (len(answers), len(elems)))
        return answers, elems
