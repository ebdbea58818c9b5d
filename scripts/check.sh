#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check.sh: build and run every test; print one "N passed, N failed" line.
#
#   scripts/check.sh                 plain build, then ASan+UBSan, then TSan
#   scripts/check.sh --san FLAVOUR   only FLAVOUR (e.g. address,undefined;
#                                    "plain" for the unsanitized build)
#
# Each test binary prints "N passed, N failed"; this script adds them up.
# A binary that crashes or prints no summary counts as one failure.  The
# plain pass also runs scripts/check-extra.sh (install, pkg-config and
# other whole-tree checks), which ends with the same kind of line.  The
# sanitizer passes run the guest programs (tests/guest/run.sh) on their
# sanitized runner, vkvm side only.
set -u
cd "$(dirname "$0")/.." || exit 1
jobs=$(nproc 2>/dev/null || echo 2)
flavours=("" "address,undefined" "thread")
if [ "${1:-}" = "--san" ]; then
	flavours=("${2:?--san needs a value}")
	[ "${flavours[0]}" = plain ] && flavours=("")
fi
total_pass=0
total_fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vkvm-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# count NAME RC OUTPUT_FILE: add OUTPUT_FILE's last summary line to the
# totals; print "ok" or "FAIL" for NAME.
count() {
	local name=$1 rc=$2 out=$3 line p f
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)
	if [ -z "$line" ]; then
		tail -20 "$out"
		echo "FAIL $name: no summary (exit $rc)"
		total_fail=$((total_fail + 1))
		return
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed*}
	if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
		grep -E '^(not ok|#|FAIL)' "$out" | head -40
		echo "FAIL $name: $line (exit $rc)"
		[ "$f" -eq 0 ] && f=1
	else
		echo "ok   $name: $line"
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

run_test() { # flavour binary
	local rc
	timeout 600 "$2" >"$tmp/out" 2>&1
	rc=$?
	count "${1:-plain} $2" "$rc" "$tmp/out"
}

# The guest programs on a runner built with the flavour's sanitizers
# (QEMU's side is the plain pass's business).
run_guests_san() { # flavour build
	local rc
	tests/guest/run.sh --vkvm-only "$2" >"$tmp/out" 2>&1
	rc=$?
	count "$1 guest programs (sanitized runner)" "$rc" "$tmp/out"
}

run_extra() { # build
	local rc
	scripts/check-extra.sh "$1" 2>&1 | tee "$tmp/extra" >&2
	rc=${PIPESTATUS[0]}
	count "extra checks" "$rc" "$tmp/extra"
}

for flavour in "${flavours[@]}"; do
	start=$SECONDS
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
	# Leaks inside third-party code (Unicorn) may be listed, one
	# "leak:FUNCTION" a line with a comment saying why, in tests/lsan.supp.
	if [ -f tests/lsan.supp ]; then
		export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
	fi
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
	for bin in $(find "$build/tests" -type f -perm -u+x 2>/dev/null | sort); do
		# The TSan pass runs the tests that use threads (named *thread*).
		if [ "$flavour" = "thread" ] &&
			[[ "$(basename "$bin")" != *thread* ]]; then
			continue
		fi
		run_test "$flavour" "$bin"
	done
	if [ -n "$flavour" ] && [ -x "$build/guest/runner" ]; then
		run_guests_san "$flavour" "$build"
	fi
	# Whole-tree checks that run once (install + pkg-config smoke test,
	# guest tests, fuzz smoke runs).
	if [ -z "$flavour" ] && [ -x scripts/check-extra.sh ]; then
		run_extra "$build"
	fi
	echo "-- ${flavour:-plain} pass: $((SECONDS - start)) s"
done
echo
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
