#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# migrate-send.py FILE PORT MODE: send the snapshot FILE to a
# `vkvm run --incoming tcp:127.0.0.1:PORT` as a migration stream
# (docs/snapshot-format.md, "Migration stream") in 64 KiB frames, spoiled
# as MODE says: ok, cut, reorder, version, corrupt.  Prints the
# destination's answer line ("OK" or "ERR ...").
import socket
import struct
import sys
import time

MAGIC, VERSION, HDR, LAST = 0x474D4B56, 2, 28, 1


def crc32c_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t.append(c)
    return t


TABLE = crc32c_table()


def crc32c(data, crc=0):
    c = crc ^ 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def frame(seq, payload, flags, version=VERSION):
    head = struct.pack("<IIQII", MAGIC, version, seq, len(payload), flags)
    return head + struct.pack("<I", crc32c(payload, crc32c(head))) + payload


def frames(data, mode):
    size = 65536
    parts = [data[i:i + size] for i in range(0, len(data), size)] or [b""]
    out = [frame(i, p, LAST if i == len(parts) - 1 else 0,
                 3 if mode == "version" else VERSION)
           for i, p in enumerate(parts)]
    if mode == "cut":
        out = out[:len(out) // 2]
    elif mode == "reorder":
        out[1], out[2] = out[2], out[1]
    elif mode == "corrupt":
        f = bytearray(out[1])
        f[HDR + 100] ^= 0x20
        out[1] = bytes(f)
    return out


def main():
    path, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    data = open(path, "rb").read()
    for _ in range(100):  # the destination may still be starting
        try:
            s = socket.create_connection(("127.0.0.1", port))
            break
        except ConnectionRefusedError:
            time.sleep(0.1)
    else:
        sys.exit("no destination on port %d" % port)
    try:
        for f in frames(data, mode):
            s.sendall(f)
        s.shutdown(socket.SHUT_WR)
    except OSError:
        # The destination may refuse an early frame and close while we
        # still send (EPIPE, ECONNRESET, ENOTCONN at shutdown): its
        # answer is already in our receive queue.
        pass
    answer = b""
    while not answer.endswith(b"\n"):
        try:
            chunk = s.recv(600)
        except OSError:
            break
        if not chunk:
            break
        answer += chunk
    print(answer.decode(errors="replace").strip() or "(no answer)")


main()
