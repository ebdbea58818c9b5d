#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-linux.sh [BUILD]: the slow VMM checks (make check-slow, issue 6):
# Debian's arm64 Linux kernel with an initramfs built here around
# busybox-static:arm64 boots to a shell, runs a command typed on the
# console and powers off, with 1 and 4 vCPUs on GICv2 and GICv3:
#   - on qemu-system-aarch64 -M virt (the reference),
#   - on QEMU with the device tree vkvm builds (-dtb), 4 vCPUs,
#   - on vkvm.
# On vkvm a 2-vCPU Linux is also snapshotted at its shell (SIGUSR1) and
# restored, and migrated over loopback (SIGUSR2); the shell must answer.
# Any kernel warning, oops or panic fails the case.  The packages are
# fetched with apt at test time into BUILD/third-party (never committed);
# the first run adds the arm64 architecture to dpkg (root needed).
# Prints "ok"/"FAIL" lines and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
vkvm=$build/vkvm
dir=$build/third-party/linux
tmp=$(mktemp -d /tmp/vkvm-linux-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { echo "ok   linux: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL linux: $*"; fail=$((fail + 1)); }

fetch() {
	local kpkg
	[ -s "$dir/Image" ] && [ -s "$dir/busybox" ] && return 0
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		dpkg --add-architecture arm64 && apt-get update -qq || return 1
	fi
	kpkg=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[ -n "$kpkg" ] || return 1
	rm -rf "$dir" && mkdir -p "$dir/deb" &&
		(cd "$dir/deb" && apt-get download "$kpkg" busybox-static:arm64) \
			>/dev/null 2>&1 || return 1
	dpkg-deb --fsys-tarfile "$dir"/deb/linux-image-*.deb |
		tar -x -C "$dir" --wildcards './boot/vmlinuz-*' &&
		mv "$dir"/boot/vmlinuz-* "$dir/Image" &&
		dpkg-deb -x "$dir"/deb/busybox-static_*.deb "$dir/bb" &&
		cp "$dir/bb/bin/busybox" "$dir/busybox" &&
		rm -rf "$dir/deb" "$dir/bb" "$dir/boot"
}

make_initrd() {
	local root=$tmp/root
	mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
	cp "$dir/busybox" "$root/bin/busybox"
	cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "vkvm-test: init up, $(nproc) CPUs"
exec sh </dev/console >/dev/console 2>&1
EOF
	chmod 755 "$root/init"
	scripts/mkinitramfs.py "$root" "$tmp/initrd.gz"
}

append="console=ttyAMA0 panic=-1"

# One boot: shell prompt, a command, poweroff; no warning, oops or panic.
boot() { # out smp timeout command...
	local out=$1 smp=$2 t=$3
	shift 3
	scripts/console-expect.py "$t" "expect:vkvm-test: init up, $smp CPUs" \
		'expect:# ' 'send:echo RESULT=$((6*7))\n' 'expect:RESULT=42' \
		'send:poweroff -f\n' -- "$@" >"$out" 2>&1
}

clean_log() { # out
	! grep -E 'WARNING:|Oops|BUG:|Call trace:|Kernel panic' "$1"
}

qemu_boot() { # gic smp [extra qemu args...]
	local gic=$1 smp=$2
	shift 2
	boot "$tmp/q.out" "$smp" 300 qemu-system-aarch64 \
		-M virt,gic-version="$gic" -cpu max -smp "$smp" -m 512 \
		-nographic -no-reboot -kernel "$dir/Image" \
		-initrd "$tmp/initrd.gz" -append "$append" "$@" &&
		clean_log "$tmp/q.out"
}

check() { # what command...
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what: $(tail -c 400 "$tmp/q.out")"; fi
}

vkvm_linux_args() { # gic smp
	echo --kernel "$dir/Image" --initrd "$tmp/initrd.gz" --gic v"$1" \
		--smp "$2" --memory 512
}

vkvm_case() { # gic smp
	local rc
	boot "$tmp/v.out" "$2" 900 "$vkvm" run $(vkvm_linux_args "$1" "$2") \
		--append "$append" --timeout 880
	rc=$?
	if [ $rc -eq 0 ] && clean_log "$tmp/v.out"; then
		ok "Linux to a shell and power off on vkvm, GICv$1, $2 vCPUs"
	else
		bad "Linux on vkvm GICv$1, $2 vCPUs: exit $rc: $(tail -c 400 "$tmp/v.out")"
	fi
}

# --- snapshot/restore and migration of a Linux at its shell (issue 7) -----
# The shell answers on the restored (or incoming) machine.
answers() { # out timeout command...
	local out=$1 t=$2
	shift 2
	scripts/console-expect.py "$t" 'send:echo RESULT=$((6*7))\n' \
		'expect:RESULT=42' 'send:poweroff -f\n' -- "$@" >"$out" 2>&1 &&
		clean_log "$out"
}

# One boot to the shell: a snapshot there (SIGUSR1), then a migration
# over loopback (SIGUSR2, source exit 8); the shell answers on the
# destination, and again on the restored snapshot.
vkvm_snapshot_migrate_case() { # gic smp
	local what="Linux on vkvm, GICv$1, $2 vCPUs at its shell:"
	local port=$((46000 + $$ % 1000 + $1)) pid src
	rm -f "$tmp/linux.snap"
	answers "$tmp/d.out" 900 "$vkvm" run --incoming tcp:127.0.0.1:$port \
		--timeout 880 &
	pid=$!
	sleep 0.5
	scripts/console-expect.py 900 "expect:vkvm-test: init up, $2 CPUs" \
		'expect:# ' 'signal:USR1' 'expect:snapshot saved to' \
		'signal:USR2' 'expect:vkvm: migrated' -- \
		"$vkvm" run $(vkvm_linux_args "$1" "$2") --append "$append" \
		--timeout 880 --snapshot "$tmp/linux.snap" \
		--migrate-to tcp:127.0.0.1:$port --migrate-after 3600 \
		>"$tmp/v.out" 2>&1
	src=$?
	if [ $src -ne 8 ] || ! clean_log "$tmp/v.out"; then
		kill $pid 2>/dev/null
		wait $pid
		bad "$what source exit $src: $(tail -c 300 "$tmp/v.out")"
		return
	fi
	if wait $pid; then
		ok "$what migrated, the shell answers on the destination"
	else
		bad "$what migrated: destination: $(tail -c 300 "$tmp/d.out")"
	fi
	if answers "$tmp/r.out" 300 "$vkvm" restore "$tmp/linux.snap" \
		--timeout 280; then
		ok "$what snapshot restored, the shell answers"
	else
		bad "$what snapshot restored: $(tail -c 300 "$tmp/r.out")"
	fi
	rm -f "$tmp/linux.snap"
}

if ! fetch; then
	echo "FAIL linux: could not fetch linux-image-arm64 and busybox-static:arm64"
	echo "0 passed, 1 failed"
	exit 1
fi
make -s vmm BUILD="$build" >/dev/null || bad "build vkvm"
make_initrd && cp "$tmp/initrd.gz" "$dir/initrd.gz" || bad "build the initramfs"
for gic in 2 3; do
	for smp in 1 4; do
		if command -v qemu-system-aarch64 >/dev/null; then
			check "Linux to a shell and power off on QEMU, GICv$gic, $smp vCPUs" \
				qemu_boot $gic $smp
		fi
		vkvm_case $gic $smp
	done
	vkvm_snapshot_migrate_case $gic 2
	"$vkvm" run --kernel "$dir/Image" --initrd "$tmp/initrd.gz" \
		--append "$append" --gic v$gic --smp 4 --memory 512 \
		--dump-dtb "$tmp/vkvm.dtb" &&
		check "Linux on QEMU with vkvm's device tree, GICv$gic, 4 vCPUs" \
			qemu_boot $gic 4 -dtb "$tmp/vkvm.dtb"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
