#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# qemu-migrate.py MONITOR_SOCKET PORT: drive QEMU's own live migration
# over its HMP monitor (a unix socket): lift the bandwidth cap, migrate
# to tcp:127.0.0.1:PORT, poll `info migrate` and print
# "STATUS TOTAL_MS DOWNTIME_MS"; exit 0 when it completed.  Used by
# scripts/bench-vmm.sh next to vkvm's own migration.
import socket, sys, time, re
sock_path, port = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
for _ in range(100):
    try:
        s.connect(sock_path); break
    except OSError:
        time.sleep(0.05)
s.settimeout(0.2)
def cmd(c):
    s.sendall((c + "\n").encode())
    out = b""
    t = time.time()
    while time.time() - t < 0.5:
        try:
            d = s.recv(65536)
            if not d: break
            out += d
            if out.endswith(b"(qemu) "): break
        except socket.timeout:
            pass
    return out.decode(errors="replace")
cmd("")
cmd("migrate_set_parameter max-bandwidth 4G")
cmd("migrate -d tcp:127.0.0.1:%s" % port)
t0 = time.time()
while time.time() - t0 < 60:
    o = cmd("info migrate")
    m = re.search(r"Migration status: (\w+)", o)
    if m and m.group(1) in ("completed", "failed", "cancelled"):
        tt = re.search(r"total time: (\d+) ms", o)
        dt = re.search(r"downtime: (\d+) ms", o)
        print(m.group(1), tt.group(1) if tt else "?", dt.group(1) if dt else "?")
        cmd("quit")
        sys.exit(0 if m.group(1) == "completed" else 1)
    time.sleep(0.1)
print("timeout ? ?")
sys.exit(1)
