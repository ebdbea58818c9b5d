#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench-vmm.sh [BUILD]: whole guests on vkvm and on QEMU TCG in one run,
# wall time and peak RSS side by side with the ratio (issue 6 goals:
# time <= 1.0x, RSS <= 0.25x of QEMU's):
#   - the demo guest (1 and 4 vCPUs) to power off,
#   - U-Boot for qemu_arm64 to its prompt, then poweroff,
#   - Debian's arm64 Linux with the busybox initramfs to a shell prompt,
#     then poweroff, with 1 and 4 vCPUs (when scripts/check-linux.sh has
#     fetched them).
# Two QEMU references: -cpu max (the default of the other checks; slow
# with pointer authentication) and -cpu cortex-a57.  Time and RSS are
# those of the VMM process itself: /usr/bin/time runs it directly, also
# under console-expect.py.  A side that fails prints its exit status.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
vkvm=$build/vkvm
guests=$build/examples/guest
uboot=$build/third-party/u-boot-qemu/u-boot.bin
linux=$build/third-party/linux
tmp=$(mktemp -d /tmp/vkvm-bench-vmm.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
qemu=(qemu-system-aarch64 -M virt -m 512 -nographic -no-reboot)
cpus=(max cortex-a57)

make -s vmm guests BUILD="$build" >/dev/null || exit 1

# run NAME STEPS... -- COMMAND...: "seconds peak-KiB" of COMMAND, or
# "rc=N".  With steps, console-expect.py drives COMMAND's console.
run() {
	local name=$1 rc
	shift
	local -a steps=()
	while [ "$1" != -- ]; do
		steps+=("$1")
		shift
	done
	shift
	local -a timed=(/usr/bin/time -f '%e %M' -o "$tmp/$name.time" "$@")
	if [ ${#steps[@]} -gt 0 ]; then
		scripts/console-expect.py 1800 "${steps[@]}" -- "${timed[@]}"
	else
		"${timed[@]}"
	fi </dev/null >"$tmp/$name.log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "rc=$rc"
	else
		tail -n 1 "$tmp/$name.time"
	fi
}

row() { # label reference vkvm-result qemu-result
	awk -v l="$1" -v c="$2" -v v="$3" -v q="$4" 'BEGIN {
		nv = split(v, a, " "); nq = split(q, b, " ")
		if (nv < 2 || nq < 2) {
			printf "%-22s %-11s vkvm %s | QEMU %s\n", l, c, v, q; exit
		}
		printf "%-22s %-11s %7.2f %7.2f %6.2fx %8.1f %8.1f %6.2fx\n",
			l, c, a[1], b[1], (b[1] > 0 ? a[1] / b[1] : 0),
			a[2] / 1024, b[2] / 1024, a[2] / b[2]
	}'
}

# case LABEL STEPS... -- VKVM-ARGS... -- QEMU-ARGS...: one vkvm run and
# one QEMU run per reference CPU, a row each.
case_() {
	local label=$1 v
	shift
	local -a steps=() vargs=() qargs=()
	while [ "$1" != -- ]; do
		steps+=("$1")
		shift
	done
	shift
	while [ "$1" != -- ]; do
		vargs+=("$1")
		shift
	done
	shift
	qargs=("$@")
	v=$(run vkvm "${steps[@]}" -- "$vkvm" run "${vargs[@]}" --memory 512)
	for c in "${cpus[@]}"; do
		row "$label" "$c" "$v" "$(run "qemu-$c" "${steps[@]}" -- \
			"${qemu[@]}" -cpu "$c" "${qargs[@]}")"
		label=""
	done
}

printf '%-22s %-11s %7s %7s %7s %8s %8s %7s\n' case "QEMU -cpu" \
	"vkvm s" "QEMU s" ratio "vkvm MiB" "QEMU MiB" ratio
for smp in 1 4; do
	case_ "demo guest, $smp vCPU" -- --kernel "$guests/demo.bin" \
		--smp $smp --timeout 600 -- -smp $smp -kernel "$guests/demo.bin"
done
if [ -s "$uboot" ]; then
	case_ "U-Boot to prompt" 'expect:Hit any key' 'send:\n' 'expect:=> ' \
		'send:poweroff\n' -- --bios "$uboot" --timeout 590 -- \
		-bios "$uboot"
fi
if [ -s "$linux/Image" ] && [ -s "$linux/initrd.gz" ]; then
	append="console=ttyAMA0 panic=-1"
	for smp in 1 4; do
		case_ "Linux to shell, $smp vCPU" \
			"expect:vkvm-test: init up, $smp CPUs" 'expect:# ' \
			'send:poweroff -f\n' -- --kernel "$linux/Image" \
			--initrd "$linux/initrd.gz" --append "$append" --smp $smp \
			--timeout 1790 -- -smp $smp -kernel "$linux/Image" \
			-initrd "$linux/initrd.gz" -append "$append"
	done
fi
echo "(wall s and peak RSS of the VMM process; QEMU TCG, 512 MiB, GICv2, same guests)"
