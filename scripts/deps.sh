#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# deps.sh: install every build and test dependency of vkvm (idempotent).
#
# Debian packages come from the machine's own apt sources; apt-get update
# runs only when something must be installed, and nothing is printed when
# nothing is missing.  Unicorn 2.1.1 is fetched by scripts/fetch-unicorn.sh
# (Debian's own .debs, sha256-checked, into third_party/).
set -eu
cd "$(dirname "$0")/.."

# What each package is for:
#   gcc make libc6-dev pkg-config   build, install and the pkg-config test
#   libfdt-dev device-tree-compiler the VMM's device trees
#   zlib1g-dev                      the VMM (-lz)
#   gcc-aarch64-linux-gnu           freestanding guest test programs
#   clang libclang-rt-14-dev        libFuzzer harnesses (make fuzz)
#   llvm                            llvm-symbolizer: sanitizer reports name
#                                   functions, which LeakSanitizer's
#                                   suppression of Unicorn's own leak needs
#   clang-format                    make format
#   qemu-system-arm ipxe-qemu       guest reference runs, side-by-side bench
#                                   (ipxe-qemu: the NIC option ROM the virt
#                                   machine loads; only a recommendation)
#   python3                         console scripting and stream tests
#   ca-certificates git             fetching and cloning
pkgs=(gcc make libc6-dev pkg-config
	libfdt-dev device-tree-compiler zlib1g-dev
	gcc-aarch64-linux-gnu
	clang libclang-rt-14-dev llvm
	clang-format
	qemu-system-arm ipxe-qemu
	python3
	ca-certificates git)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'ok installed'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps.sh: missing packages: ${missing[*]}" >&2
		echo "deps.sh: run as root, or install them and set VKVM_NO_DEPS=1" >&2
		exit 1
	fi
	echo "deps.sh: installing ${missing[*]}" >&2
	log=$(mktemp "${TMPDIR:-/tmp}/vkvm-deps.XXXXXX")
	export DEBIAN_FRONTEND=noninteractive
	if ! { apt-get update -q &&
		apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
		>"$log" 2>&1; then
		tail -30 "$log" >&2
		echo "deps.sh: apt-get failed (full log: $log)" >&2
		exit 1
	fi
	rm -f "$log"
fi

if [ -x scripts/fetch-unicorn.sh ]; then
	scripts/fetch-unicorn.sh
fi
./scripts/fetch-unicorn.sh
