#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-extra.sh: whole-tree checks that run once per `make check` (from
# scripts/check.sh, after the plain flavour), beside the unit/API tests.
#
#   scripts/check-extra.sh BUILD     BUILD = the plain build folder (build)
#
# Each check prints "ok   extra NAME" or "FAIL extra NAME" (with the tail
# of its output); the last line is "N passed, N failed".  To add checks,
# add a section (a function named section_* that calls `check`) above the
# list at the bottom and name it there.
set -u
cd "$(dirname "$0")/.." || exit 1
build=${1:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vkvm-extra.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# check NAME COMMAND...: run COMMAND, count it as one passed or failed check.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "ok   extra $name"
		pass=$((pass + 1))
	else
		printf '%s\n' "$out" | tail -20 | sed 's/^/#   /'
		echo "FAIL extra $name"
		fail=$((fail + 1))
	fi
}

# --- install + pkg-config: an outside program built against the prefix ---

prefix=$tmp/prefix
pc() { PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config "$@"; }

installed_files_present() {
	local f
	for f in lib/libvkvm.a lib/libvkvm.so lib/libvkvm.so.0 \
		lib/pkgconfig/vkvm.pc include/vkvm/vkvm.h include/vkvm/kvm.h; do
		[ -e "$prefix/$f" ] || { echo "missing $f"; return 1; }
	done
}

soname_is_libvkvm_so_0() {
	readelf -d "$prefix/lib/libvkvm.so" | grep -q 'SONAME.*\[libvkvm\.so\.0\]'
}

# Only vkvm_* (and the version node) leave the installed libraries:
# Unicorn, the vGIC and every internal name stay hidden (src/libvkvm.map).
only_vkvm_symbols() { # FILE NM-OPTION...
	local file=$1 extra
	shift
	extra=$(nm -g --defined-only "$@" "$file" |
		awk 'NF == 3 { sub(/@.*/, "", $3); print $3 }' |
		grep -v -e '^vkvm_' -e '^VKVM_')
	[ -z "$extra" ] || { echo "exported: ${extra//$'\n'/ }"; return 1; }
}

pkg_config_knows_vkvm() {
	[ "$(pc --modversion vkvm)" = "$(sed -n 's/^VERSION := //p' Makefile)" ]
}

# An outside program, built with nothing but pkg-config's flags: the shared
# one must need libvkvm.so.0; the static one must need no shared library
# (so the installed libvkvm.a carries Unicorn's members itself).
# (pkg-config's output is a list of flags: it is split on purpose.)
# shellcheck disable=SC2046
build_shared() { # SRC OUT
	cc -Wall -Wextra -Werror "$1" -o "$2" $(pc --cflags --libs vkvm) &&
		readelf -d "$2" | grep -q 'NEEDED.*libvkvm\.so\.0'
}

# shellcheck disable=SC2046
build_static() { # SRC OUT
	cc -static -Wall -Wextra -Werror "$1" -o "$2" \
		$(pc --cflags --libs --static vkvm) &&
		! readelf -d "$2" 2>/dev/null | grep -q NEEDED
}

# The installed public headers alone, in strict C11 and in C++.
# shellcheck disable=SC2046
headers_compile() { # COMPILER OPTION...
	printf '#include <vkvm/vkvm.h>\nint main(void) { return vkvm_open() < 0; }\n' \
		>"$tmp/headers.c"
	"$@" -Wall -Wextra -Werror -fsyntax-only $(pc --cflags vkvm) \
		"$tmp/headers.c"
}

# Run from the temp dir so nothing can pick up the build tree.
run_quiet() { (cd "$tmp" && "$@" >/dev/null); }

# The README's example: its first ```c block.
readme_example() {
	awk '/^```c$/ { inblock = 1; next }
	     /^```$/ && inblock { exit }
	     inblock' README.md
}

section_install() {
	check "make install PREFIX=tmp" \
		make -s --no-print-directory install BUILD="$build" \
		PREFIX="$prefix"
	check "installed files present" installed_files_present
	check "libvkvm.so has SONAME libvkvm.so.0" soname_is_libvkvm_so_0
	check "libvkvm.so exports only vkvm_*" \
		only_vkvm_symbols "$prefix/lib/libvkvm.so" -D
	check "libvkvm.a exports only vkvm_*" \
		only_vkvm_symbols "$prefix/lib/libvkvm.a"
	check "pkg-config --modversion vkvm" pkg_config_knows_vkvm
	check "public headers: C11 -pedantic" \
		headers_compile cc -std=c11 -pedantic
	check "public headers: C++17 (clang++)" \
		headers_compile clang++ -x c++ -std=c++17
	for src in examples/*.c; do
		local name
		name=$(basename "$src" .c)
		check "$name: build shared via pkg-config" \
			build_shared "$src" "$tmp/$name-shared"
		check "$name: run shared" run_quiet "$tmp/$name-shared"
		check "$name: build static via pkg-config --static" \
			build_static "$src" "$tmp/$name-static"
		check "$name: run static" run_quiet "$tmp/$name-static"
	done
	readme_example >"$tmp/readme_example.c"
	check "README example: extracted" test -s "$tmp/readme_example.c"
	check "README example: build shared via pkg-config" \
		build_shared "$tmp/readme_example.c" "$tmp/readme_example"
	check "README example: run" run_quiet "$tmp/readme_example"
}

# --- sections added by other parts of the project go here ---

# --- guest tests (issue 5): each program of tests/guest on vkvm and on
# qemu-system-aarch64 -M virt; both must print VERDICT PASS ---

section_guest() {
	local bin name
	for bin in "$build"/guest/*.bin; do
		name=$(basename "$bin" .bin)
		check "guest: $name (vkvm and QEMU agree: PASS)" \
			tests/guest/run.sh "$build" "$name"
	done
}

# --- fuzz smoke runs: every libFuzzer harness in tests/fuzz, under
# ASan+UBSan, for FUZZ_SMOKE_RUNS inputs (default 20000); `make fuzz` is
# the long run. ---

fuzz_run() { # BINARY RUNS
	local corpus
	corpus=$tmp/corpus-$(basename "$1")
	mkdir -p "$corpus" && "$1" -runs="$2" "$corpus"
}

section_fuzz() {
	local runs=${FUZZ_SMOKE_RUNS:-20000} f
	check "fuzz: build (make fuzz-build)" \
		make -s --no-print-directory fuzz-build
	for f in build/fuzz/*; do
		{ [ -f "$f" ] && [ -x "$f" ]; } || continue
		check "fuzz: $(basename "$f") $runs runs" fuzz_run "$f" "$runs"
	done
}

# A script that prints its own ok/FAIL lines and an "N passed, N failed"
# summary, added to the totals here.
sub_script() { # SCRIPT
	local out p f
	out=$("$1" "$build")
	printf '%s\n' "$out" | grep -vE '^[0-9]+ passed, [0-9]+ failed$'
	read -r p f < <(printf '%s\n' "$out" |
		sed -n 's/^\([0-9]\+\) passed, \([0-9]\+\) failed$/\1 \2/p' | tail -1)
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-1}))
}

# The vkvm VMM (issue 6) and its snapshots (issue 7).
section_vmm() {
	sub_script scripts/check-vmm.sh
	sub_script scripts/check-snapshot.sh
}

# Debian's arm64 Linux to a shell on QEMU and vkvm (make check-slow).
section_linux() {
	sub_script scripts/check-linux.sh
}

section_install
section_guest
section_fuzz
section_vmm
section_linux

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
