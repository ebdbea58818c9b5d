#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh: run every guest program on vkvm (BUILD/guest/runner) and on
# qemu-system-aarch64 -M virt -cpu max; a program passes when vkvm's
# verdict is PASS and equals QEMU's, and the runner exits with 0.  Last
# line: "N passed, N failed".
#
#   tests/guest/run.sh [--vkvm-only] BUILD [PROGRAM]
#
# PROGRAM: only that one.  --vkvm-only: no QEMU run (the sanitizer passes
# of check.sh run a sanitized runner that way; QEMU's verdict does not
# depend on how vkvm was built).
set -u
cd "$(dirname "$0")/../.." || exit 1
vkvm_only=0
if [ "${1:-}" = --vkvm-only ]; then
	vkvm_only=1
	shift
fi
build=${1:-build}
only=${2:-}
pass=0
fail=0

# Per program: vCPUs, GIC (runner -g / QEMU gic-version) and runner-only
# options (-r ONE_REG settings, -L an ID register set through ONE_REG
# and compared with what the guest prints, see idreg_check; QEMU keeps its
# own values).
opts() {
	case $1 in
	exc) echo "1 0 -L" ;;
	smccc) echo "1 0 -r 0x6030000000140001=1" ;; # WORKAROUND_1 AVAIL: a check
	smccc_psci02) echo "1 0 -r 0x6030000000140000=0x2" ;;
	smccc_psci10) echo "1 0 -r 0x6030000000140000=0x10000" ;;
	smp) echo "4 0" ;;
	smc) echo "2 0" ;;
	tlbi) echo "2 0" ;;
	sgi4_v2) echo "4 2" ;;
	sgi4_v3) echo "4 3" ;;
	gic*v2*) echo "2 2" ;;
	gic*v3*) echo "2 3" ;;
	*) echo "1 0" ;;
	esac
}

verdict() { grep -a '^VERDICT' | tail -1 | awk '{print $2}'; }

# idreg_check OUTPUT: with -L, the guest must print the ID_AA64ISAR0_EL1
# value the runner set through KVM_SET_ONE_REG (vkvm only: QEMU's value is
# its own).  Prints a FAIL line and returns 1 on a mismatch.
idreg_check() {
	local set got
	set=$(printf '%s\n' "$1" | awk '/^runner: ID_AA64ISAR0_EL1/ {print $3; exit}')
	got=$(printf '%s\n' "$1" | awk '/^ID_AA64ISAR0_EL1/ {print $2; exit}')
	if [ -z "$set" ] || [ "$set" != "$got" ]; then
		echo "FAIL ID_AA64ISAR0_EL1 set ${set:-none}, guest read ${got:-none}"
		return 1
	fi
}

for bin in "$build"/guest/*.bin; do
	name=$(basename "$bin" .bin)
	[ -n "$only" ] && [ "$name" != "$only" ] && continue
	read -r ncpu gic ropts < <(opts "$name")
	# shellcheck disable=SC2086 # ropts: zero or more words
	vout=$(timeout 120 "$build/guest/runner" -n "$ncpu" -g "$gic" $ropts \
		"$bin" 2>&1)
	vrc=$?
	if [ "$vrc" -ne 0 ]; then
		vout=$(printf '%s\n%s\n' "$vout" \
			"runner: exit status $vrc" "VERDICT FAIL (runner)")
	elif [[ " $ropts " == *" -L "* ]] && ! idreg_check "$vout"; then
		vout=$(printf '%s\n%s\n' "$vout" \
			"$(idreg_check "$vout")" "VERDICT FAIL (ID register)")
	fi
	qout="VERDICT PASS (not run)"
	if [ "$vkvm_only" = 0 ]; then
		qgic=
		[ "$gic" != 0 ] && qgic=",gic-version=$gic"
		# smc: QEMU 7.2's multi-threaded TCG runs stale code after
		# another vCPU's IC IVAU (seen here); single-threaded is exact.
		qaccel=tcg
		[ "$name" = smc ] && qaccel=tcg,thread=single
		qout=$(timeout 120 qemu-system-aarch64 -M "virt$qgic" -cpu max \
			-accel "$qaccel" -smp "$ncpu" -m 128M -nographic \
			-no-reboot -kernel "$bin" 2>&1)
	fi
	v=$(printf '%s\n' "$vout" | verdict)
	q=$(printf '%s\n' "$qout" | verdict)
	[ "$vkvm_only" = 1 ] && q=skipped
	if [ "$v" = PASS ] && { [ "$q" = PASS ] || [ "$q" = skipped ]; }; then
		echo "ok   guest $name (vkvm $v, qemu $q)"
		pass=$((pass + 1))
	else
		printf '%s\n' "$vout" |
			grep -a -E '^(FAIL|  got|runner|==[0-9]+==|SUMMARY)' |
			head -20 | sed 's/^/#   vkvm: /'
		printf '%s\n' "$qout" | grep -a -E '^(FAIL|  got)' | head -20 | sed 's/^/#   qemu: /'
		echo "FAIL guest $name (vkvm ${v:-none}, qemu ${q:-none})"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
