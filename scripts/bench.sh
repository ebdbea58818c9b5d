#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench.sh: run every benchmark of a build (make bench calls it).
#
#   scripts/bench.sh BUILD     BUILD = the build folder (build)
#
# Each bench/NAME.c becomes BUILD/bench/NAME; they run in name order and
# print their own tables (vkvm next to the reference in the same run).
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
status=0
for bin in "$build"/bench/*; do
	{ [ -x "$bin" ] && [ -f "$bin" ]; } || continue
	echo "== $(basename "$bin")"
	"$bin" || status=1
	echo
done
exit $status
