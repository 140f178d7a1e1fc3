# SPDX-License-Identifier: GPL-2.0-only
"""The backend's log: one line per event, flushed at once, so that a guest
test can read it through the share while the run goes on.

Lines look like
    12.345 ctrl SUBMIT_3D ctx=1 ring=1 fence=4 size=8 -> OK_NODATA
    12.346 fence ctx=1 ring=1 id=4 done
    12.400 vhost SET_MEM_TABLE regions=2
The first field is seconds since the backend started."""

import sys
import time


class Log:
    def __init__(self, path=None, verbose=False):
        self.start = time.monotonic()
        self.out = open(path, "a", buffering=1) if path else sys.stderr
        self.verbose = verbose

    def __call__(self, kind, text):
        self.out.write("%.3f %s %s\n" % (time.monotonic() - self.start, kind, text))

    def debug(self, kind, text):
        if self.verbose:
            self(kind, text)
