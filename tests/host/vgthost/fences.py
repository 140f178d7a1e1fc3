# SPDX-License-Identifier: GPL-2.0-only
"""Fence timelines. A command with VIRTIO_GPU_FLAG_FENCE is answered only
when its fence completes. Without FLAG_INFO_RING_IDX every fence is on one
device-wide timeline; with it, on the (ctx_id, ring_idx) timeline.

Each fenced command is given a completion delay (by the personality, or
None: never). Within a timeline fences complete in order: a fence is due
no earlier than the one before it. Completing fence N retires every
outstanding fence <= N on its timeline (a guest that does not number its
fences in order gets them retired together). Timelines do not wait for
each other, so rings complete out of order when their delays say so.
"""

import math
import time

GLOBAL = ("global",)


class Pending:
    def __init__(self, key, fence_id, due, finish):
        self.key = key
        self.fence_id = fence_id
        self.due = due
        self.finish = finish


class Fences:
    def __init__(self, loop, log):
        self.loop = loop
        self.log = log
        self.timelines = {}
        self.timer = None

    @staticmethod
    def key(ctx_id, ring_idx, with_ring):
        return ("ring", ctx_id, ring_idx) if with_ring else GLOBAL

    def add(self, key, fence_id, delay, finish):
        """Hold `finish` (which sends the response) until fence_id on
        timeline `key` completes, `delay` seconds from now at the earliest
        (None: never)."""
        line = self.timelines.setdefault(key, [])
        due = math.inf if delay is None else time.monotonic() + max(0.0, delay)
        if line:
            due = max(due, line[-1].due)
        line.append(Pending(key, fence_id, due, finish))
        self._arm()

    def outstanding(self):
        return sum(len(v) for v in self.timelines.values())

    def _arm(self):
        if self.timer:
            self.loop.cancel(self.timer)
            self.timer = None
        due = min((line[0].due for line in self.timelines.values() if line), default=math.inf)
        if due != math.inf:
            self.timer = self.loop.at(due, self._tick)

    def _tick(self):
        self.timer = None
        now = time.monotonic()
        for key, line in list(self.timelines.items()):
            while line and line[0].due <= now:
                self._complete(key, line, line[0].fence_id)
        self._arm()

    def _complete(self, key, line, fence_id):
        done = [p for p in line if p.fence_id <= fence_id]
        line[:] = [p for p in line if p.fence_id > fence_id]
        for p in done:
            self.log("fence", "%s id=%d done" % (describe(key), p.fence_id))
            p.finish()

    def drop_all(self):
        """The device was reset: nothing held will ever be answered."""
        self.timelines = {}
        self._arm()


def describe(key):
    if key == GLOBAL:
        return "global"
    return "ctx=%d ring=%d" % (key[1], key[2])
