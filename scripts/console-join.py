#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""console-join.py: does a resumed run print what an uninterrupted one did?

    console-join.py REFERENCE BEFORE CUT AFTER

REFERENCE, BEFORE and AFTER are console logs of `vkvm` (the guest's
output with vkvm's own stderr lines mixed in).  BEFORE is the run that was
snapshotted (or migrated away), AFTER the restored (or incoming) run.  CUT
is N to take BEFORE up to its N-th "vkvm: snapshot saved to" line (vkvm
prints it while the vCPUs are parked, so it marks the exact point of the
snapshot), or "all" to take all of BEFORE (a migrated source stops there).
With vkvm's lines removed from all three logs, the part of BEFORE joined
with AFTER must equal REFERENCE.  Exit status 0 if so; 1 (and the first
difference) if not; 2 on bad arguments.
"""
import re
import sys

# vkvm's own lines: "\r\nvkvm: ...\r\n" while the console is raw, or a
# plain "vkvm: ...\n" (warnings, the waiting destination).
WRAPPED = re.compile(rb"\r\nvkvm: [^\r\n]*\r\n")
PLAIN = re.compile(rb"vkvm: [^\r\n]*\n")
MARKER = b"\r\nvkvm: snapshot saved to "


def clean(data):
    return PLAIN.sub(b"", WRAPPED.sub(b"", data))


def before_cut(data, cut):
    if cut == "all":
        return data
    at = -1
    for _ in range(int(cut)):
        at = data.find(MARKER, at + 1)
        if at < 0:
            sys.exit(f"console-join: fewer than {cut} snapshot lines")
    return data[:at]


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    ref, before, after = (open(sys.argv[i], "rb").read() for i in (1, 2, 4))
    want = clean(ref)
    head = clean(before_cut(before, sys.argv[3]))
    got = head + clean(after)
    if got == want:
        return 0
    n = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b),
             min(len(got), len(want)))
    print(f"console-join: differs at byte {n} (the cut is at byte "
          f"{len(head)}): got {got[max(n - 40, 0):n + 40]!r}, want "
          f"{want[max(n - 40, 0):n + 40]!r}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
