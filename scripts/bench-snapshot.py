#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench-snapshot.py BUILD: vkvm's snapshot and migration next to QEMU's
own, same guests, same RAM size, in one run (issue 7's bench).

Guests (examples/guest), 256 MiB of RAM, 1 vCPU:
  - echo: idle in WFI, RAM almost all zero;
  - memwrite: 128 MiB of data, one word in every page rewritten in a
    loop (every page dirty again all the time).

Rows:
  - snapshot to a file: vkvm `--snapshot` on SIGUSR1 (the time the vCPUs
    were paused, as vkvm reports it) against QEMU `stop; migrate
    "exec:cat > FILE"; cont` (QEMU's savevm needs a qcow2 disk; this is
    its snapshot-to-file; QEMU's "total time"), time and file size;
  - migration over loopback TCP: vkvm `--migrate-to` (pre-copy) on
    SIGUSR2 until the source reports "migrated" (total time; the
    downtime is measured by scripts/bench-vmm.sh) against QEMU `stop;
    migrate tcp:` to a `-incoming` QEMU (its "total time", all downtime);
  - QEMU's live (pre-copy) migration of memwrite, its own downtime, for
    reference.
Timings are wall clock on a shared machine: compare within one run.
"""
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

MEM_MIB = 256
QEMU = ["qemu-system-aarch64", "-M", "virt", "-cpu", "max", "-smp", "1",
        "-m", str(MEM_MIB), "-display", "none", "-no-reboot",
        "-serial", "stdio"]
READY = {"echo": b"echo: ready", "memwrite": b"rewriting every page"}


class Console:
    """A child process whose stdout+stderr is read as it comes."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.seen = b""

    def wait_for(self, pattern, timeout=120.0):
        """Wait until @pattern (a regex) shows; its match, or None."""
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.seen)
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                data = os.read(self.proc.stdout.fileno(), 65536)
                if not data:
                    return re.search(pattern, self.seen)
                self.seen += data

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


class Monitor:
    """QEMU's human monitor on a unix socket."""

    def __init__(self, path):
        for _ in range(200):
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                time.sleep(0.05)
        self.read_prompt()

    def read_prompt(self):
        buf = b""
        while not buf.endswith(b"(qemu) "):
            data = self.sock.recv(65536)
            if not data:
                break
            buf += data
        return buf.decode(errors="replace")

    def cmd(self, line):
        self.sock.sendall(line.encode() + b"\n")
        return self.read_prompt()


def qemu_guest(guest, tmp, name, extra=()):
    mon = os.path.join(tmp, name + ".mon")
    c = Console(QEMU + ["-kernel", guest, "-monitor",
                        f"unix:{mon},server=on,wait=off", *extra])
    return c, mon


def total_ms(info):
    """QEMU's own "total time" of the last migration (-1 if absent)."""
    m = re.search(r"total time: (\d+) ms", info)
    return float(m.group(1)) if m else -1.0


def mib(n):
    return n / (1 << 20)


def guest_ready(console, guest):
    """Wait for @guest's line saying it runs, then let it run a little."""
    if not console.wait_for(READY[os.path.basename(guest)[:-4]]):
        return False
    time.sleep(0.5)
    return True


def qemu_migration(mon_path, uri, stop):
    """Migrate (after `stop` if @stop) to @uri with no bandwidth limit;
    the last `info migrate`, or a string saying what went wrong."""
    m = Monitor(mon_path)
    m.cmd("migrate_set_parameter max-bandwidth 100G")
    t0 = time.monotonic()
    if stop:
        m.cmd("stop")
    m.cmd(f"migrate -d {uri}")
    while True:
        info = m.cmd("info migrate")
        if "Migration status: completed" in info:
            m.cmd("cont")
            return info
        if "failed" in info:
            return "failed"
        if time.monotonic() - t0 > 30:
            return "not done in 30 s"
        time.sleep(0.01)


def vkvm_snapshot(vkvm, guest, tmp):
    snap = os.path.join(tmp, "v.snap")
    c = Console([vkvm, "run", "--kernel", guest, "--memory", str(MEM_MIB),
                 "--timeout", "300", "--snapshot", snap])
    try:
        if not guest_ready(c, guest):
            return "guest not ready"
        c.proc.send_signal(signal.SIGUSR1)
        m = c.wait_for(rb"snapshot saved to .*paused ([0-9.]+) ms")
        if not m:
            return "no snapshot"
        return float(m.group(1)), mib(os.path.getsize(snap))
    finally:
        c.stop()


def qemu_snapshot(guest, tmp):
    path = os.path.join(tmp, "q.mig")
    c, mon = qemu_guest(guest, tmp, "qs")
    try:
        if not guest_ready(c, guest):
            return "guest not ready"
        info = qemu_migration(mon, f'"exec:cat > {path}"', True)
        if "status" not in info:
            return info
        return total_ms(info), mib(os.path.getsize(path))
    finally:
        c.stop()


def vkvm_migrate(vkvm, guest, port):
    dst = Console([vkvm, "run", "--incoming", f"tcp:127.0.0.1:{port}",
                   "--timeout", "300"])
    src = Console([vkvm, "run", "--kernel", guest, "--memory", str(MEM_MIB),
                   "--timeout", "300", "--migrate-to",
                   f"tcp:127.0.0.1:{port}", "--migrate-after", "3600"])
    try:
        if not dst.wait_for(rb"waiting for a migration"):
            return "destination not listening"
        if not guest_ready(src, guest):
            return "guest not ready"
        t0 = time.monotonic()
        src.proc.send_signal(signal.SIGUSR2)
        if not src.wait_for(rb"vkvm: migrated"):
            return "not migrated"
        return (time.monotonic() - t0) * 1e3, None
    finally:
        src.stop()
        dst.stop()


def qemu_migrate(guest, tmp, port, live):
    dst, _ = qemu_guest(guest, tmp, "qd", ["-incoming",
                                          f"tcp:127.0.0.1:{port}"])
    src, mon = qemu_guest(guest, tmp, "qm")
    try:
        if not guest_ready(src, guest):
            return "guest not ready"
        info = qemu_migration(mon, f"tcp:127.0.0.1:{port}", not live)
        if "status" not in info:
            return info
        if live:
            d = re.search(r"downtime: (\d+) ms", info)
            return (float(d.group(1)) if d else -1), None, total_ms(info)
        return total_ms(info), None
    finally:
        src.stop()
        dst.stop()


def row(label, ours, theirs):
    def fmt(r):
        if isinstance(r, str):
            return f"{r:>19}"
        size = f"{r[1]:7.1f}" if r[1] is not None else "      -"
        return f"{r[0]:9.1f} ms {size}"

    ratio = ""
    if not isinstance(ours, str) and not isinstance(theirs, str):
        ratio = f"{ours[0] / theirs[0]:6.2f}x"
    print(f"{label:34} {fmt(ours)} | {fmt(theirs)} {ratio}", flush=True)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    vkvm = os.path.join(build, "vkvm")
    guests = os.path.join(build, "examples", "guest")
    port = 45000 + os.getpid() % 1000
    print(f"{'case (256 MiB, 1 vCPU)':34} {'vkvm time':>12} {'MiB':>6} | "
          f"{'QEMU time':>12} {'MiB':>6}  ratio")
    with tempfile.TemporaryDirectory(prefix="vkvm-bench-snap.") as tmp:
        for name in ("echo", "memwrite"):
            guest = os.path.join(guests, name + ".bin")
            row(f"snapshot to file, {name}", vkvm_snapshot(vkvm, guest, tmp),
                qemu_snapshot(guest, tmp))
        for name in ("echo", "memwrite"):
            guest = os.path.join(guests, name + ".bin")
            port += 2
            row(f"migration (vkvm pre-copy, QEMU stopped), {name}",
                vkvm_migrate(vkvm, guest, port),
                qemu_migrate(guest, tmp, port + 1, False))
        guest = os.path.join(guests, "memwrite.bin")
        live = qemu_migrate(guest, tmp, port + 2, True)
        if isinstance(live, str):
            print(f"QEMU live (pre-copy) migration, memwrite: {live}")
        else:
            print(f"QEMU live (pre-copy) migration, memwrite: downtime "
                  f"{live[0]:.0f} ms, total {live[2]:.0f} ms")
    print("(vkvm: vCPUs paused for the snapshot as vkvm reports it; "
          "migration: SIGUSR2 to \"migrated\", pre-copy total time. QEMU: "
          "its own \"total time\" after stop (so all downtime), no "
          "bandwidth limit. Wall clock on a shared machine.)")


if __name__ == "__main__":
    main()
