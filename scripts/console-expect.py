#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""console-expect.py: drive a guest's serial console like a person would.

    console-expect.py TIMEOUT STEP... -- COMMAND [ARG...]

Runs COMMAND with a pipe on stdin and stdout+stderr captured, and plays
the steps in order: "expect:TEXT" waits until TEXT has appeared in the
output since the last match, "send:TEXT" writes TEXT to the guest ("\\n"
and other Python escapes are decoded), "signal:NAME" sends signal NAME
(USR1, USR2, ...) to COMMAND.  After the last step it waits for
COMMAND to exit.  The whole transcript is copied to stdout.  Exit status:
COMMAND's own when every step was met in TIMEOUT seconds; when a step is
not met, COMMAND's status if it exited with a failure, 125 if it exited
with 0, or 124 on timeout (the COMMAND is killed).
"""
import os
import select
import signal
import subprocess
import sys
import time


def unmet(proc, ended):
    """A step was not met: the command's failure status if it ended with
    one, 125 if it ended with 0, 124 (after killing it) on timeout."""
    if ended:
        rc = proc.wait()
        return rc if rc != 0 else 125
    proc.kill()
    proc.wait()
    return 124


def main():
    if "--" not in sys.argv:
        sys.exit(__doc__)
    sep = sys.argv.index("--")
    timeout = float(sys.argv[1])
    steps = sys.argv[2:sep]
    proc = subprocess.Popen(sys.argv[sep + 1:], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    seen = b""

    def pump(wait):
        nonlocal seen
        ready, _, _ = select.select([proc.stdout], [], [], wait)
        if not ready:
            return True
        data = os.read(proc.stdout.fileno(), 65536)
        if not data:
            return False
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        seen += data
        return True

    for step in steps:
        kind, _, text = step.partition(":")
        text = text.encode().decode("unicode_escape").encode("latin-1")
        if kind == "send":
            proc.stdin.write(text)
            proc.stdin.flush()
            continue
        if kind == "signal":
            proc.send_signal(getattr(signal, "SIG" + text.decode()))
            continue
        while text not in seen:
            left = deadline - time.monotonic()
            alive = left > 0 and pump(min(left, 0.5))
            if not alive:
                print(f"\nconsole-expect: did not see {text!r}",
                      file=sys.stderr)
                return unmet(proc, left > 0)
        seen = seen[seen.index(text) + len(text):]
    while proc.poll() is None and time.monotonic() < deadline:
        if not pump(0.5):
            break
    try:
        return proc.wait(max(deadline - time.monotonic(), 0.1))
    except subprocess.TimeoutExpired:
        print("\nconsole-expect: the command did not exit", file=sys.stderr)
        proc.kill()
        proc.wait()
        return 124


if __name__ == "__main__":
    sys.exit(main())
