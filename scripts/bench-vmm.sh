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

# --- live migration: a 256 MiB guest rewriting 32 MiB (memwrite) -------------
# Migration starts after 1 s, over loopback, both ends on this host.
# vkvm: pre-copy rounds then stop-and-copy; downtime = pause -> the
# destination's OK.  QEMU: its own pre-copy (HMP migrate, bandwidth cap
# lifted), downtime and total time as `info migrate` reports them.
mig_port=$((47000 + $$ % 1000))
mig_vkvm() {
	local pid
	"$vkvm" run --incoming tcp:127.0.0.1:$mig_port --timeout 60 \
		</dev/null >"$tmp/mig-dst.log" 2>&1 &
	pid=$!
	sleep 0.3
	"$vkvm" run --kernel "$guests/memwrite.bin" --memory 256 --timeout 60 \
		--migrate-to tcp:127.0.0.1:$mig_port --migrate-after 1 \
		</dev/null >"$tmp/mig-src.log" 2>&1
	wait $pid
	if ! grep -q 'memwrite: PASS' "$tmp/mig-dst.log"; then
		echo "failed"
		return
	fi
	sed -n 's/.*migrated: \([0-9]*\) pre-copy rounds.*downtime \([0-9.]*\) ms, total \([0-9.]*\) ms.*/\2 \3 \1/p' \
		"$tmp/mig-src.log" | head -1
}
mig_qemu() {
	local q=(qemu-system-aarch64 -M virt -cpu max -m 256 -display none
		-no-reboot -kernel "$guests/memwrite.bin") dpid spid out
	mig_port=$((mig_port + 1))
	"${q[@]}" -serial file:"$tmp/qmig-dst.serial" -monitor none \
		-incoming tcp:127.0.0.1:$mig_port >/dev/null 2>&1 &
	dpid=$!
	"${q[@]}" -serial file:"$tmp/qmig-src.serial" \
		-monitor unix:"$tmp/qmig.sock",server=on,wait=off \
		>/dev/null 2>&1 &
	spid=$!
	sleep 1
	out=$(timeout 90 scripts/qemu-migrate.py "$tmp/qmig.sock" $mig_port)
	wait $spid
	timeout 60 tail --pid=$dpid -f /dev/null
	kill $dpid 2>/dev/null
	if [ "${out%% *}" != completed ] ||
		! grep -q 'memwrite: PASS' "$tmp/qmig-dst.serial"; then
		echo "failed"
		return
	fi
	echo "$out" | awk '{ print $3, $2 }'
}
v=$(mig_vkvm)
q=$(mig_qemu)
printf '\n%-44s %10s %10s\n' "live migration, 256 MiB guest writing 32 MiB" \
	vkvm QEMU
awk -v v="$v" -v q="$q" 'BEGIN {
	split(v, a, " "); split(q, b, " ")
	printf "%-44s %10s %10s\n", "downtime (ms)", a[1], b[1]
	printf "%-44s %10s %10s\n", "total time (ms)", a[2], b[2]
	printf "%-44s %10s %10s\n", "pre-copy rounds", a[3], "-"
}'
echo "(loopback; the destination guest must print PASS: no write lost)"
