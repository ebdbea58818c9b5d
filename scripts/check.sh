#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check.sh: build and run every test; print one "N passed, N failed" line.
#
#   scripts/check.sh                 plain build, then ASan+UBSan, then TSan
#   scripts/check.sh --san FLAVOUR   only FLAVOUR (e.g. address,undefined)
#
# Each test binary prints "N passed, N failed"; this script adds them up.
# A binary that crashes or prints no summary counts as one failure.
set -u
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
flavours=("" "address,undefined" "thread")
if [ "${1:-}" = "--san" ]; then
	flavours=("${2:?--san needs a value}")
fi
total_pass=0
total_fail=0

run_one() { # flavour binary
	local flavour=$1 bin=$2 out rc line p f
	out=$(timeout 600 "$bin" 2>&1)
	rc=$?
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	if [ -z "$line" ]; then
		printf '%s\n' "$out" | tail -20
		echo "FAIL ${flavour:-plain} $bin: no summary (exit $rc)"
		total_fail=$((total_fail + 1))
		return
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed*}
	if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
		printf '%s\n' "$out" | grep -E '^(not ok|#)' | head -40
		echo "FAIL ${flavour:-plain} $bin: $line (exit $rc)"
		[ "$f" -eq 0 ] && f=1
	else
		echo "ok   ${flavour:-plain} $bin: $line"
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

for flavour in "${flavours[@]}"; do
	if [ -z "$flavour" ]; then
		build=build
	else
		build=build/san-${flavour//,/-}
	fi
	if ! make -s -j"$jobs" check-build SAN="$flavour" BUILD="$build"; then
		echo "FAIL ${flavour:-plain}: build failed"
		total_fail=$((total_fail + 1))
		continue
	fi
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
	for bin in $(find "$build/tests" -type f -perm -u+x 2>/dev/null | sort); do
		# The TSan pass runs the tests that use threads (named *thread*).
		if [ "$flavour" = "thread" ] && [[ "$bin" != *thread* ]]; then
			continue
		fi
		run_one "$flavour" "$bin"
	done
	if [ -z "$flavour" ] && [ -x scripts/check-extra.sh ]; then
		# Whole-tree checks that run once (install + pkg-config smoke
		# test, guest tests, fuzz smoke runs).
		while read -r p f; do
			total_pass=$((total_pass + p))
			total_fail=$((total_fail + f))
		done < <(scripts/check-extra.sh "$build" | tee /dev/stderr |
			sed -n 's/^\([0-9]\+\) passed, \([0-9]\+\) failed$/\1 \2/p' | tail -1)
	fi
done
echo
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
