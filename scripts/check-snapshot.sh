#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-snapshot.sh BUILD: checks of `vkvm inspect` and `vkvm restore` on
# real snapshots (made by tests/vmm/snapshot_test with VKVM_SNAPSHOT_DIR):
# the person's view and the JSON, argument errors (exit 2), truncated and
# bit-flipped files (exit 7, "invalid snapshot" and what is wrong), a
# newer format version, a restore that gets as far as KVM_RUN, and the
# deterministic 4-vCPU workload snapshotted, restored and migrated at
# several points, printing what an uninterrupted run prints.
# Prints "ok"/"FAIL" lines and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
vkvm=$build/vkvm
tmp=$(mktemp -d /tmp/vkvm-snapshot-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { echo "ok   snapshot: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL snapshot: $*"; fail=$((fail + 1)); }
check() { # description command...
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}

make -s "$vkvm" "$build/tests/vmm/snapshot_test" BUILD="$build" >/dev/null ||
	bad "build vkvm and snapshot_test"
VKVM_SNAPSHOT_DIR=$tmp "$build/tests/vmm/snapshot_test" >"$tmp/test.out" 2>&1 ||
	bad "snapshot_test: $(tail -3 "$tmp/test.out")"

# --- inspect: text and JSON -------------------------------------------------
inspect_text() { # file gic
	"$vkvm" inspect "$1" >"$tmp/i.out" 2>"$tmp/i.err" &&
		grep -q "gic_version: $2" "$tmp/i.out" &&
		grep -q 'index=1 .*pc=0x40080004 pstate=0x3c5 el=1 mmu=yes' "$tmp/i.out" &&
		grep -q 'index=3 .*state=stopped' "$tmp/i.out" &&
		grep -q 'intid=40 enabled=yes pending=yes active=no priority=0x20' "$tmp/i.out" &&
		grep -q 'intid=45 enabled=yes pending=no active=yes' "$tmp/i.out" &&
		grep -q 'vtimer={enabled=' "$tmp/i.out" &&
		grep -q 'pl011:' "$tmp/i.out" && grep -q 'pl031:' "$tmp/i.out" &&
		[ ! -s "$tmp/i.err" ]
}
inspect_json() { # file gic
	"$vkvm" inspect --json "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["machine"]["gic_version"] == int(sys.argv[1])
assert len(d["cpus"]) == 4 and d["cpus"][1]["mmu"] is True
assert d["cpus"][1]["pc"] == "0x40080004" and d["cpus"][1]["el"] == 1
irq = {i["intid"]: i for i in d["gic"]["interrupts"] if "vcpu" not in i}
assert irq[40]["pending"] and irq[45]["active"] and irq[44]["priority"] == "0x40"
assert len(d["gic"]["cpu_interfaces"]) == 4
assert "pl011" in d["devices"] and d["ram"]["regions"][0]["gpa"] == "0x40000000"
' "$2"
}
for gic in 2 3; do
	f=$tmp/v$gic.snap
	check "inspect GICv$gic: vCPUs, interrupts, timers, devices" inspect_text "$f" $gic
	check "inspect --json GICv$gic parses and holds the same state" inspect_json "$f" $gic
done

# --- argument errors: exit 2 naming the problem -----------------------------
arg_error() { # needle args...
	local needle=$1 rc
	shift
	"$vkvm" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -qF -- "$needle" "$tmp/err"; then
		ok "exit 2 naming '$needle': vkvm $*"
	else
		bad "vkvm $*: exit $rc, stderr: $(head -c 200 "$tmp/err")"
	fi
}
arg_error "FILE is required" inspect
arg_error "/nonexistent.snap" inspect /nonexistent.snap
arg_error "exactly one FILE" inspect "$tmp/v3.snap" "$tmp/v2.snap"
arg_error "--timeout" inspect --timeout 3 "$tmp/v3.snap"
arg_error "--json" restore --json "$tmp/v3.snap"
arg_error "--timeout" restore --timeout soon "$tmp/v3.snap"
arg_error "--snapshot-after" run --kernel "$tmp/v3.snap" --snapshot-after 3

# --- broken files: exit 7, "invalid snapshot: <what>" ------------------------
refused() { # file [needle]
	local rc
	"$vkvm" inspect "$1" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -eq 7 ] && grep -q "invalid snapshot: ${2:-.}" "$tmp/err" && return 0
	echo "#   $1: exit $rc: $(head -c 200 "$tmp/err")"
	return 1
}
truncations_refused() {
	local size cut e=0
	size=$(stat -c %s "$tmp/v3.snap")
	for cut in $(seq 0 67) $(seq 68 3571 "$size"); do
		[ "$cut" -lt "$size" ] || continue
		head -c "$cut" "$tmp/v3.snap" >"$tmp/cut.snap"
		refused "$tmp/cut.snap" || e=1
	done
	return $e
}
flips_refused() {
	local f e=0
	mkdir -p "$tmp/flips"
	python3 - "$tmp/v3.snap" "$tmp/flips" <<'PY'
import random, sys
data = open(sys.argv[1], "rb").read()
rng = random.Random(7)
for i in range(300):
    d = bytearray(data)
    at = rng.randrange(len(d))
    d[at] ^= 1 << rng.randrange(8)
    open("%s/%03d.snap" % (sys.argv[2], i), "wb").write(d)
PY
	for f in "$tmp"/flips/*.snap; do
		refused "$f" || e=1
	done
	return $e
}
check "inspect: 300 truncations of a real snapshot exit 7 with a reason" truncations_refused
check "inspect: 300 random bit flips exit 7 with a reason" flips_refused
newer_version() {
	python3 - "$tmp/v3.snap" "$tmp/new.snap" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
d[8:12] = struct.pack("<I", 2)
# CRC-32C of the first 20 header bytes
c = 0xFFFFFFFF
for x in d[:20]:
    c ^= x
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
d[20:24] = struct.pack("<I", c ^ 0xFFFFFFFF)
open(sys.argv[2], "wb").write(d)
PY
	refused "$tmp/new.snap" "format version 2 is not supported"
}
check "inspect: a newer format version is refused as such (exit 7)" newer_version
printf 'not a snapshot at all' >"$tmp/junk.snap"
check "inspect: a non-snapshot file is refused (exit 7)" refused "$tmp/junk.snap" "not a vkvm snapshot"
restore_refuses_truncated() {
	head -c 5000 "$tmp/v2.snap" >"$tmp/cut.snap"
	"$vkvm" restore "$tmp/cut.snap" >/dev/null 2>"$tmp/err"
	[ $? -eq 7 ] && grep -q 'restore: .*invalid snapshot: ' "$tmp/err"
}
check "restore: a truncated snapshot exits 7 before any guest runs" restore_refuses_truncated

# --- restore: rebuilds the machine and state, up to KVM_RUN -----------------
# The test snapshots hold no guest program, so what runs after is not
# checked here; without the engine KVM_RUN answers ENOSYS.
for gic in 2 3; do
	timeout 60 "$vkvm" restore "$tmp/v$gic.snap" --timeout 2 </dev/null \
		>"$tmp/r.out" 2>&1
	rc=$?
	if grep -q 'restore:' "$tmp/r.out" || [ $rc -eq 7 ] || [ $rc -eq 2 ] ||
		[ $rc -ge 124 ]; then
		bad "restore GICv$gic: exit $rc: $(tail -c 300 "$tmp/r.out")"
	else
		ok "restore GICv$gic rebuilds the VM and reaches KVM_RUN (exit $rc)"
	fi
done

# --- a running guest: snapshot after 1 s and on SIGUSR1, then restore ------
# Needs the KVM_RUN engine; skipped (and said so) while KVM_RUN is ENOSYS.
# The workload guest runs for 4 s or more (the demo guest is done in less
# than the 1 s these checks wait); without input it waits in phase 1.
guest=$build/examples/guest/workload.bin
make -s "$guest" BUILD="$build" >/dev/null 2>&1
running_snapshot() { # gic how(after|usr1)
	local snap=$tmp/run-$1-$2.snap pid
	rm -f "$snap"
	if [ "$2" = after ]; then
		timeout 60 "$vkvm" run --kernel "$guest" --smp 4 --gic v$1 \
			--timeout 3 --snapshot "$snap" --snapshot-after 1 \
			</dev/null >"$tmp/run.out" 2>&1
	else
		"$vkvm" run --kernel "$guest" --smp 4 --gic v$1 --timeout 3 \
			--snapshot "$snap" </dev/null >"$tmp/run.out" 2>&1 &
		pid=$!
		sleep 1
		kill -USR1 $pid 2>/dev/null
		wait $pid
	fi
	if grep -q 'KVM_RUN: Function not implemented' "$tmp/run.out"; then
		return 2
	fi
	grep -q "snapshot saved to $snap" "$tmp/run.out" &&
		"$vkvm" inspect "$snap" >/dev/null &&
		timeout 60 "$vkvm" restore "$snap" --timeout 2 </dev/null \
			>"$tmp/restore.out" 2>&1
	case $? in
	0 | 4) ;; # powered off, or still running at --timeout
	*)
		echo "#   $(tail -c 300 "$tmp/run.out") / $(tail -c 300 "$tmp/restore.out" 2>/dev/null)"
		return 1
		;;
	esac
}
for gic in 2 3; do
	for how in after usr1; do
		what="running GICv$gic guest: snapshot ($how), inspect, restore"
		running_snapshot $gic $how
		case $? in
		0) ok "$what" ;;
		2) echo "skip snapshot: $what: no KVM_RUN engine in this build" ;;
		*) bad "$what" ;;
		esac
	done
done

# --- migration: the destination against good and spoiled streams -----------
port=$((47000 + $$ % 1000))
incoming() { # mode: exit status, stderr and answer of the destination
	local want_rc=$1 want_err=$2 want_answer=$3 mode=$4 rc
	port=$((port + 1))
	timeout 120 "$vkvm" run --incoming tcp:127.0.0.1:$port --timeout 2 \
		</dev/null >"$tmp/in.out" 2>"$tmp/in.err" &
	local pid=$!
	scripts/migrate-send.py "$tmp/v3.snap" $port "$mode" >"$tmp/answer" 2>&1
	wait $pid
	rc=$?
	if [ "$rc" = "$want_rc" ] || { [ "$want_rc" = run ] && [ $rc -ne 7 ] &&
		[ $rc -ne 2 ] && [ $rc -lt 124 ]; }; then
		grep -q -- "$want_err" "$tmp/in.err" &&
			grep -q -- "$want_answer" "$tmp/answer" && return 0
	fi
	echo "#   exit $rc; stderr: $(head -c 300 "$tmp/in.err"); answer: $(cat "$tmp/answer")"
	return 1
}
check "--incoming: a good stream is answered OK and the guest restored" \
	incoming run "waiting for a migration" "^OK$" ok
check "--incoming: a cut stream is refused, exit 7, saying why" \
	incoming 7 "refused: stream cut after" "^ERR stream cut" cut
check "--incoming: reordered frames are refused, exit 7, saying why" \
	incoming 7 "frame 2 arrived where frame 1 was expected" "^ERR frame 2" reorder
check "--incoming: another stream version is refused, exit 7, saying why" \
	incoming 7 "stream version 2, this vkvm speaks version 1" "^ERR" version
check "--incoming: a corrupted frame is refused, exit 7, saying why" \
	incoming 7 "frame 1: checksum mismatch" "^ERR frame 1" corrupt
arg_error "only loopback addresses" run --incoming tcp:192.0.2.1:4444
arg_error "only loopback addresses" run --kernel "$tmp/v3.snap" --migrate-to tcp:192.0.2.1:4444
arg_error "--migrate-after" run --kernel "$tmp/v3.snap" --migrate-after 2

# --- migration of a running guest (needs the engine) ------------------------
migrate_running() { # gic
	local src_rc dst_rc
	port=$((port + 1))
	timeout 120 "$vkvm" run --incoming tcp:127.0.0.1:$port --timeout 3 \
		</dev/null >"$tmp/dst.out" 2>&1 &
	local pid=$!
	sleep 0.3
	timeout 60 "$vkvm" run --kernel "$guest" --smp 4 --gic v$1 --timeout 10 \
		--migrate-to tcp:127.0.0.1:$port --migrate-after 1 \
		</dev/null >"$tmp/src.out" 2>&1
	src_rc=$?
	wait $pid
	dst_rc=$?
	if grep -q 'KVM_RUN: Function not implemented' "$tmp/src.out"; then
		return 2
	fi
	[ $src_rc -eq 8 ] && grep -q 'vkvm: migrated' "$tmp/src.out" &&
		{ [ $dst_rc -eq 0 ] || [ $dst_rc -eq 4 ] || [ $dst_rc -eq 5 ]; } &&
		! grep -q 'refused' "$tmp/dst.out" && return 0
	echo "#   source exit $src_rc: $(tail -c 200 "$tmp/src.out")"
	echo "#   destination exit $dst_rc: $(tail -c 200 "$tmp/dst.out")"
	return 1
}
migrate_fails_source_goes_on() {
	port=$((port + 1))
	# The echo guest waits for input, so it is still running when the
	# migration is due (the demo guest may power off before that).
	timeout 60 "$vkvm" run --kernel "$build/examples/guest/echo.bin" \
		--smp 2 --gic v2 --timeout 3 \
		--migrate-to tcp:127.0.0.1:$port --migrate-after 1 \
		</dev/null >"$tmp/src.out" 2>&1
	case $? in
	1) grep -q 'KVM_RUN: Function not implemented' "$tmp/src.out" && return 2 ;;
	4) grep -q "migration to tcp:127.0.0.1:$port failed: .*the guest goes on" \
		"$tmp/src.out" && return 0 ;;
	esac
	echo "#   $(tail -c 300 "$tmp/src.out")"
	return 1
}
for what in "2:running GICv2 guest migrates over loopback" \
	"3:running GICv3 guest migrates over loopback" \
	"fail:migration to nobody: the source guest goes on"; do
	if [ "${what%%:*}" = fail ]; then
		migrate_fails_source_goes_on
	else
		migrate_running "${what%%:*}"
	fi
	case $? in
	0) ok "${what#*:}" ;;
	2) echo "skip snapshot: ${what#*:}: no KVM_RUN engine in this build" ;;
	*) bad "${what#*:}" ;;
	esac
done

# --- the deterministic workload: resumed runs print what a whole run does ---
# examples/guest/workload.c on 4 vCPUs: timers, SGIs, the PL011 RX and
# PL031 SPIs, memory traffic; every snapshot holds an active and a pending
# interrupt per vCPU.  Its stdin is an endless "x" stream (it counts the
# x's it reads, so the bytes a snapshot leaves behind do not matter).
wl=$build/examples/guest/workload.bin
make -s "$wl" BUILD="$build" >/dev/null 2>&1 || bad "build $wl"
wl_vkvm() { # out vkvm-args...: vkvm with the endless input
	local out=$1
	shift
	yes x 2>/dev/null | "$vkvm" "$@" --timeout 120 >"$out" 2>&1
}
wl_args() { # gic
	echo --kernel "$wl" --smp 4 --gic v$1
}
wl_reference() { # gic
	wl_vkvm "$tmp/wl-ref.out" run $(wl_args $1) &&
		grep -q 'workload: PASS' "$tmp/wl-ref.out" && return 0
	echo "#   $(tail -c 300 "$tmp/wl-ref.out")"
	return 1
}
# Snapshots after 1 s (--snapshot-after) and two SIGUSR1s later on; each
# file is copied once vkvm says it is saved.
wl_snapshots() { # gic
	local pid n
	rm -f "$tmp/wl.snap"
	: >"$tmp/wl-src.out"
	yes x 2>/dev/null | "$vkvm" run $(wl_args $1) --timeout 120 \
		--snapshot "$tmp/wl.snap" --snapshot-after 1 \
		>"$tmp/wl-src.out" 2>&1 &
	pid=$!
	for n in 1 2 3; do
		if [ $n -gt 1 ]; then
			sleep 1.1
			kill -USR1 $pid 2>/dev/null
		fi
		until [ "$(grep -ac 'snapshot saved' "$tmp/wl-src.out")" -ge $n ]; do
			kill -0 $pid 2>/dev/null || break
			sleep 0.05
		done
		cp "$tmp/wl.snap" "$tmp/wl-$n.snap" 2>/dev/null
	done
	wait $pid && [ "$(grep -ac 'snapshot saved' "$tmp/wl-src.out")" -eq 3 ] &&
		scripts/console-join.py "$tmp/wl-ref.out" "$tmp/wl-src.out" all \
			/dev/null && return 0
	echo "#   $(tail -c 300 "$tmp/wl-src.out")"
	return 1
}
# Each vCPU holds SGI 14 active and SGI 15 pending in the file.
wl_states() { # snapshot
	"$vkvm" inspect --json "$1" | python3 -c '
import json, sys
irqs = json.load(sys.stdin)["gic"]["interrupts"]
for cpu in range(4):
    mine = {i["intid"]: i for i in irqs if i.get("vcpu") == cpu}
    assert mine[14]["active"] and mine[15]["pending"], (cpu, mine.get(14))
'
}
wl_restore() { # n
	wl_states "$tmp/wl-$1.snap" &&
		wl_vkvm "$tmp/wl-r.out" restore "$tmp/wl-$1.snap" &&
		scripts/console-join.py "$tmp/wl-ref.out" "$tmp/wl-src.out" $1 \
			"$tmp/wl-r.out" && return 0
	echo "#   $(tail -c 300 "$tmp/wl-r.out")"
	return 1
}
wl_migrate() { # gic after
	local src_rc dst_rc pid
	port=$((port + 1))
	yes x 2>/dev/null | "$vkvm" run --incoming tcp:127.0.0.1:$port \
		--timeout 120 >"$tmp/wl-dst.out" 2>&1 &
	pid=$!
	sleep 0.3
	wl_vkvm "$tmp/wl-src.out" run $(wl_args $1) \
		--migrate-to tcp:127.0.0.1:$port --migrate-after $2
	src_rc=$?
	wait $pid
	dst_rc=$?
	[ $src_rc -eq 8 ] && [ $dst_rc -eq 0 ] &&
		scripts/console-join.py "$tmp/wl-ref.out" "$tmp/wl-src.out" all \
			"$tmp/wl-dst.out" && return 0
	echo "#   source exit $src_rc: $(tail -c 200 "$tmp/wl-src.out")"
	echo "#   destination exit $dst_rc: $(tail -c 200 "$tmp/wl-dst.out")"
	return 1
}
for gic in 2 3; do
	if ! wl_reference $gic; then
		bad "workload GICv$gic: an uninterrupted run passes"
		continue
	fi
	ok "workload GICv$gic: an uninterrupted run passes"
	check "workload GICv$gic: three snapshots leave the run's output as it was" \
		wl_snapshots $gic
	for n in 1 2 3; do
		check "workload GICv$gic: restored snapshot $n goes on as the whole run" \
			wl_restore $n
	done
	for after in 1 3; do
		check "workload GICv$gic: migrated after $after s, the destination goes on as the whole run" \
			wl_migrate $gic $after
	done
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
