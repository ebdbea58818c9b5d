#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fetch-unicorn.sh: fetch Debian trixie's Unicorn 2.1.1-2+b2 (amd64) binary
# packages, check their sha256 and unpack them into third_party/unicorn/.
#
# A private apt configuration (its own sources list, lists and cache under
# build/apt-unicorn/) is used, so the machine's apt sources stay untouched.
# Only Debian's archive is contacted (the archive URI of the machine's own
# apt sources).  Idempotent: does nothing when the unpacked tree is present
# and its stamp records the two checked hashes.
set -eu
cd "$(dirname "$0")/.."

version=2.1.1-2+b2
declare -A sha=(
	[libunicorn2t64]=3f760a28c65a93662edbcb21fceb2e0a1c0ab0e8277564fc572e6532949e3e3f
	[libunicorn-dev]=479613e244a6023c03708951a5f0e00fc96c83a4b74b4d74c9fe7d3a9050208b
)
dest=third_party/unicorn
work=build/apt-unicorn
stamp=$dest/.vkvm-stamp
want="$version ${sha[libunicorn2t64]} ${sha[libunicorn-dev]}"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
	[ -f "$dest/usr/lib/x86_64-linux-gnu/libunicorn.a" ]; then
	exit 0
fi

# The Debian archive URI the machine already uses (deb822 or one-line).
archive=$(grep -hoE '(URIs:[[:space:]]*|^deb[[:space:]]+)https?://[^[:space:]]*/debian/?([[:space:]]|$)' \
	/etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
	grep -oE 'https?://[^[:space:]]*/debian' | head -1 || true)
archive=${archive:-http://deb.debian.org/debian}

mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive trixie main" >"$work/sources.list"
aptopts=(-o "Dir::Etc::sourcelist=$PWD/$work/sources.list"
	-o "APT::Sandbox::User=$(id -un)"
	-o "Dir::Etc::sourceparts=-"
	-o "Dir::State::Lists=$PWD/$work/lists"
	-o "Dir::Cache=$PWD/$work/cache"
	-o "APT::Architecture=amd64"
	-o "APT::Architectures=amd64")

echo "fetch-unicorn.sh: fetching Unicorn $version from $archive (trixie)" >&2
apt-get "${aptopts[@]}" -qq update
for p in libunicorn2t64 libunicorn-dev; do
	deb="$work/debs/${p}_${version//:/%3a}_amd64.deb"
	if [ ! -f "$deb" ] || ! echo "${sha[$p]}  $deb" | sha256sum -c --quiet - 2>/dev/null; then
		rm -f "$deb"
		(cd "$work/debs" && apt-get "${aptopts[@]}" -qq download "$p=$version")
	fi
	if ! echo "${sha[$p]}  $deb" | sha256sum -c --quiet -; then
		echo "fetch-unicorn.sh: sha256 mismatch for $deb" >&2
		exit 1
	fi
done

rm -rf "$dest"
mkdir -p "$dest"
for p in libunicorn2t64 libunicorn-dev; do
	dpkg-deb -x "$work/debs/${p}_${version//:/%3a}_amd64.deb" "$dest"
done
echo "$want" >"$stamp"
echo "fetch-unicorn.sh: Unicorn $version unpacked in $dest" >&2
