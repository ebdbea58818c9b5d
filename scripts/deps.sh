#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# deps.sh: install every build and test dependency of vkvm (idempotent).
# Debian packages come from the machine's own apt sources.
set -eu
cd "$(dirname "$0")/.."

pkgs=(gcc make pkg-config libc6-dev git ca-certificates
	libfdt-dev zlib1g-dev device-tree-compiler gcc-aarch64-linux-gnu
	clang libclang-rt-14-dev clang-format qemu-system-arm
	python3)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps.sh: missing packages: ${missing[*]} (run as root)" >&2
		exit 1
	fi
	echo "deps.sh: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
