#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-extra.sh: whole-tree checks that run once per `make check` (from
# scripts/check.sh, after the plain flavour), beside the unit/API tests.
#
#   scripts/check-extra.sh BUILD     BUILD = the plain build folder (build)
#
# The last line is "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
pass=0
fail=0

# --- guest tests (issue 5): each program on vkvm and on QEMU virt ---
section_guest() {
	local line p f
	line=$(tests/guest/run.sh "$build" | tee /dev/stderr | tail -1)
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed*}
	pass=$((pass + p))
	fail=$((fail + f))
}

section_guest

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
