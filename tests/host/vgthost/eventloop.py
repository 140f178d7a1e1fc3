# SPDX-License-Identifier: GPL-2.0-only
"""A single-threaded loop: file descriptors that became readable and timers.
Everything in the backend runs from here, so no state needs a lock."""

import heapq
import itertools
import selectors
import time


class Loop:
    def __init__(self):
        self.sel = selectors.DefaultSelector()
        self.timers = []
        self.seq = itertools.count()
        self.running = True

    def watch(self, fd, callback):
        self.sel.register(fd, selectors.EVENT_READ, callback)

    def unwatch(self, fd):
        try:
            self.sel.unregister(fd)
        except (KeyError, ValueError):
            pass

    def at(self, when, callback):
        """Run callback at monotonic time `when`; returns a handle for cancel()."""
        entry = [when, next(self.seq), callback]
        heapq.heappush(self.timers, entry)
        return entry

    def after(self, delay, callback):
        return self.at(time.monotonic() + delay, callback)

    @staticmethod
    def cancel(entry):
        entry[2] = None

    def stop(self):
        self.running = False

    def run(self, idle=None, idle_period=0.2):
        """Run until stop(). `idle` runs at least every idle_period seconds."""
        next_idle = time.monotonic() + idle_period
        while self.running:
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                _, _, cb = heapq.heappop(self.timers)
                if cb:
                    cb()
                if not self.running:
                    return
            deadline = next_idle
            if self.timers:
                deadline = min(deadline, self.timers[0][0])
            for key, _ in self.sel.select(max(0.0, deadline - time.monotonic())):
                key.data()
                if not self.running:
                    return
            if idle and time.monotonic() >= next_idle:
                idle()
                next_idle = time.monotonic() + idle_period
