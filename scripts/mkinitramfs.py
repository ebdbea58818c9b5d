#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mkinitramfs.py: a gzip-compressed initramfs ("newc" cpio) from a folder.

    mkinitramfs.py DIR OUT.gz

Writes every file, directory and symlink below DIR (owned by root, modes
kept) plus /dev/console, which the kernel needs before devtmpfs exists.
Format: Linux Documentation/driver-api/early-userspace/buffer-format.rst.
"""
import gzip
import os
import stat
import sys


def header(name, mode, size, ino, rdev=(0, 0), nlink=1):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rdev[0], rdev[1],
              len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return b"\0" * (-n % 4)


def entry(out, name, mode, data=b"", ino=1, rdev=(0, 0)):
    hdr = header(name, mode, len(data), ino, rdev)
    raw = hdr + name.encode() + b"\0"
    out.write(raw + pad4(len(raw)) + data + pad4(len(data)))


def main():
    root, dest = sys.argv[1], sys.argv[2]
    ino = 1
    with gzip.open(dest, "wb", compresslevel=6) as out:
        entry(out, "dev", stat.S_IFDIR | 0o755, ino=ino)
        ino += 1
        entry(out, "dev/console", stat.S_IFCHR | 0o600, ino=ino,
              rdev=(5, 1))
        for top, dirs, files in os.walk(root):
            dirs.sort()
            for n in sorted(dirs) + sorted(files):
                path = os.path.join(top, n)
                name = os.path.relpath(path, root)
                if name == "dev":
                    continue
                st = os.lstat(path)
                ino += 1
                if stat.S_ISLNK(st.st_mode):
                    data = os.readlink(path).encode()
                elif stat.S_ISREG(st.st_mode):
                    with open(path, "rb") as f:
                        data = f.read()
                else:
                    data = b""
                entry(out, name, st.st_mode, data, ino)
        entry(out, "TRAILER!!!", 0, ino=0)


if __name__ == "__main__":
    main()
