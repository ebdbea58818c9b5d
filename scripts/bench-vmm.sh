#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench-vmm.sh [BUILD]: whole guests on vkvm and on QEMU TCG in one run,
# wall time and peak RSS side by side with the ratio (issue 6 goals:
# time <= 1.0x, RSS <= 0.25x of QEMU's):
#   - the demo guest (1 and 4 vCPUs) to power off,
#   - U-Boot for qemu_arm64 to its prompt, then poweroff,
#   - Debian's arm64 Linux with the busybox initramfs to a shell prompt,
#     then poweroff (when scripts/check-linux.sh has fetched them).
# A side that fails prints its exit status instead of numbers.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
vkvm=$build/vkvm
guests=$build/examples/guest
uboot=$build/third-party/u-boot-qemu/u-boot.bin
linux=$build/third-party/linux
tmp=$(mktemp -d /tmp/vkvm-bench-vmm.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
qemu=(qemu-system-aarch64 -M virt -cpu max -m 512 -nographic -no-reboot)

make -s vmm guests BUILD="$build" >/dev/null || exit 1

# run NAME command...: "seconds peak-KiB" of the run, or "rc=N".
run() {
	local name=$1 rc
	shift
	/usr/bin/time -f '%e %M' -o "$tmp/$name.time" "$@" \
		</dev/null >"$tmp/$name.log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "rc=$rc"
	else
		cat "$tmp/$name.time"
	fi
}

row() { # label vkvm-result qemu-result
	awk -v l="$1" -v v="$2" -v q="$3" 'BEGIN {
		nv = split(v, a, " "); nq = split(q, b, " ")
		if (nv < 2 || nq < 2) {
			printf "%-28s %s | QEMU %s\n", l, v, q; exit
		}
		printf "%-28s %8.2f %8.2f %6.2fx %9.1f %9.1f %6.2fx\n", l,
			a[1], b[1], (b[1] > 0 ? a[1] / b[1] : 0),
			a[2] / 1024, b[2] / 1024, a[2] / b[2]
	}'
}

printf '%-28s %8s %8s %7s %9s %9s %7s\n' case "vkvm s" "QEMU s" ratio \
	"vkvm MiB" "QEMU MiB" ratio
for smp in 1 4; do
	row "demo guest, $smp vCPU(s)" \
		"$(run demo-v$smp "$vkvm" run --kernel "$guests/demo.bin" \
			--smp $smp --memory 512 --timeout 600)" \
		"$(run demo-q$smp "${qemu[@]}" -smp $smp -kernel "$guests/demo.bin")"
done
if [ -s "$uboot" ]; then
	steps=('expect:Hit any key' 'send:\n' 'expect:=> ' 'send:poweroff\n')
	row "U-Boot to prompt" \
		"$(run uboot-v scripts/console-expect.py 600 "${steps[@]}" -- \
			"$vkvm" run --bios "$uboot" --memory 512 --timeout 590)" \
		"$(run uboot-q scripts/console-expect.py 600 "${steps[@]}" -- \
			"${qemu[@]}" -bios "$uboot")"
fi
if [ -s "$linux/Image" ] && [ -s "$linux/initrd.gz" ]; then
	steps=('expect:vkvm-test: init up' 'expect:# ' 'send:poweroff -f\n')
	args=(--kernel "$linux/Image" --initrd "$linux/initrd.gz"
		--append "console=ttyAMA0 panic=-1")
	row "Linux to shell" \
		"$(run linux-v scripts/console-expect.py 1800 "${steps[@]}" -- \
			"$vkvm" run "${args[@]}" --memory 512 --timeout 1790)" \
		"$(run linux-q scripts/console-expect.py 1800 "${steps[@]}" -- \
			"${qemu[@]}" -kernel "$linux/Image" -initrd "$linux/initrd.gz" \
			-append "console=ttyAMA0 panic=-1")"
fi
echo "(peak RSS: the VMM process; QEMU -cpu max TCG, 512 MiB, same guests)"
