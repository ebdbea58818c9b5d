#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-extra.sh BUILD: whole-tree checks that run once per `make check`
# (after the plain flavour).  Runs every scripts/check-extra.d/*.sh with
# the build directory, adds up their "N passed, N failed" lines and prints
# the total as its own last line.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
pass=0
fail=0
for part in scripts/check-extra.d/*.sh; do
	[ -e "$part" ] || continue
	line=$(bash "$part" "$build" | tee /dev/stderr |
		grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1)
	if [ -z "$line" ]; then
		echo "FAIL $part: no summary" >&2
		fail=$((fail + 1))
		continue
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed*}
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "$pass passed, $fail failed"
