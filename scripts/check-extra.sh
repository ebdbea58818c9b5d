#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-extra.sh: whole-tree checks that run once per `make check` (called
# by scripts/check.sh with the plain build dir as $1).  Each check adds to
# the counts; the last line is "N passed, N failed".
#
#   fuzz smoke runs: every libFuzzer harness in tests/fuzz for
#   FUZZ_SMOKE_RUNS inputs (default 20000) under ASan+UBSan.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
pass=0
fail=0

fuzz_smoke() {
	local runs=${FUZZ_SMOKE_RUNS:-20000} f log
	if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
		echo "FAIL fuzz: ${FUZZ_CC:-clang} not found"
		fail=$((fail + 1))
		return
	fi
	if ! make -s fuzz-build >/dev/null; then
		echo "FAIL fuzz: build failed"
		fail=$((fail + 1))
		return
	fi
	for f in build/fuzz/*; do
		[ -x "$f" ] && [ -f "$f" ] || continue
		log=$(mktemp)
		if "$f" -runs="$runs" >"$log" 2>&1; then
			echo "ok   fuzz $f: $runs runs"
			pass=$((pass + 1))
		else
			tail -40 "$log"
			echo "FAIL fuzz $f (log above)"
			fail=$((fail + 1))
		fi
		rm -f "$log"
	done
}

fuzz_smoke
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
