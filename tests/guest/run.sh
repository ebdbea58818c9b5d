#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh: run every guest program on vkvm (BUILD/guest/runner) and on
# qemu-system-aarch64 -M virt -cpu max; a program passes when vkvm's
# verdict is PASS and equals QEMU's.  Last line: "N passed, N failed".
#
#   tests/guest/run.sh BUILD [PROGRAM]   (PROGRAM: only that one)
set -u
cd "$(dirname "$0")/../.."
build=${1:-build}
only=${2:-}
pass=0
fail=0

# Per program: vCPUs, GIC (runner -g / QEMU gic-version) and runner-only
# options (-r ONE_REG settings; QEMU keeps its own values).
opts() {
	case $1 in
	smccc) echo "1 0 -r 0x6030000000140001=1" ;; # WORKAROUND_1 AVAIL: a check
	smccc_psci02) echo "1 0 -r 0x6030000000140000=0x2" ;;
	smccc_psci10) echo "1 0 -r 0x6030000000140000=0x10000" ;;
	smp) echo "4 0" ;;
	sgi4_v2) echo "4 2" ;;
	sgi4_v3) echo "4 3" ;;
	gic*v2*) echo "2 2" ;;
	gic*v3*) echo "2 3" ;;
	*) echo "1 0" ;;
	esac
}

verdict() { grep -a '^VERDICT' | tail -1 | awk '{print $2}'; }

for bin in "$build"/guest/*.bin; do
	name=$(basename "$bin" .bin)
	[ -n "$only" ] && [ "$name" != "$only" ] && continue
	read -r ncpu gic extra < <(opts "$name")
	# shellcheck disable=SC2086 # $extra is a list of options
	vout=$(timeout 120 "$build/guest/runner" -n "$ncpu" -g "$gic" $extra "$bin" 2>&1)
	qgic=
	[ "$gic" != 0 ] && qgic=",gic-version=$gic"
	qout=$(timeout 120 qemu-system-aarch64 -M "virt$qgic" -cpu max \
		-smp "$ncpu" -m 128M -nographic -no-reboot -kernel "$bin" 2>&1)
	v=$(printf '%s\n' "$vout" | verdict)
	q=$(printf '%s\n' "$qout" | verdict)
	if [ "$v" = PASS ] && [ "$q" = PASS ]; then
		echo "ok   guest $name (vkvm $v, qemu $q)"
		pass=$((pass + 1))
	else
		printf '%s\n' "$vout" | grep -a -E '^(FAIL|  got|runner)' | head -20 | sed 's/^/#   vkvm: /'
		printf '%s\n' "$qout" | grep -a -E '^(FAIL|  got)' | head -20 | sed 's/^/#   qemu: /'
		echo "FAIL guest $name (vkvm ${v:-none}, qemu ${q:-none})"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
