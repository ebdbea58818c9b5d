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
# BENCH_RUNS (3) alternating rounds per case, the best time and the
# largest RSS of them.  Two QEMU references: -cpu max (the default of the other checks; slow
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
runs=${BENCH_RUNS:-3} # rounds per case: a shared host is noisy

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

# best OLD NEW: the shorter time with the larger peak RSS of two results
# (a failed run, "rc=N", wins: it must show).
best() {
	case "$1$2" in
	*rc=*) [[ "$1" == rc=* ]] && echo "$1" || echo "$2" ;;
	*) awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ")
		printf "%s %s\n", (x[1] < y[1] ? x[1] : y[1]),
			(x[2] > y[2] ? x[2] : y[2]) }' ;;
	esac
}

# case LABEL STEPS... -- VKVM-ARGS... -- QEMU-ARGS...: $runs alternating
# rounds of one vkvm run and one QEMU run per reference CPU; a row per
# reference with the best time and the largest RSS of the rounds.
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
	local v="" q r
	local -A qr=()
	for ((r = 0; r < runs; r++)); do
		q=$(run vkvm "${steps[@]}" -- "$vkvm" run "${vargs[@]}" \
			--memory 512)
		v=$([ -z "$v" ] && echo "$q" || best "$v" "$q")
		for c in "${cpus[@]}"; do
			q=$(run "qemu-$c" "${steps[@]}" -- "${qemu[@]}" -cpu "$c" \
				"${qargs[@]}")
			qr[$c]=$([ -z "${qr[$c]:-}" ] && echo "$q" ||
				best "${qr[$c]}" "$q")
		done
	done
	for c in "${cpus[@]}"; do
		row "$label" "$c" "$v" "${qr[$c]}"
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
echo "(best wall s and largest peak RSS of the VMM process in $runs alternating"
echo " rounds; QEMU TCG, 512 MiB, GICv2, same guests)"

# --- live migration: a 256 MiB guest rewriting 32 MiB (migcheck) -------------
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
	"$vkvm" run --kernel "$guests/migcheck.bin" --memory 256 --timeout 60 \
		--migrate-to tcp:127.0.0.1:$mig_port --migrate-after 1 \
		</dev/null >"$tmp/mig-src.log" 2>&1
	wait $pid
	if ! grep -q 'migcheck: PASS' "$tmp/mig-dst.log"; then
		echo "failed"
		return
	fi
	sed -n 's/.*migrated: \([0-9]*\) pre-copy rounds.*downtime \([0-9.]*\) ms, total \([0-9.]*\) ms.*/\2 \3 \1/p' \
		"$tmp/mig-src.log" | head -1
}
mig_qemu() {
	local q=(qemu-system-aarch64 -M virt -cpu max -m 256 -display none
		-no-reboot -kernel "$guests/migcheck.bin") dpid spid out
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
		! grep -q 'migcheck: PASS' "$tmp/qmig-dst.serial"; then
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
