#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-vmm.sh BUILD: checks of the `vkvm` VMM binary (issue 6) that need the
# whole tree: public-API-only build, argument errors (exit 2, message
# naming the argument), malformed files, the device tree against the
# contract and against QEMU's, the demo guest on QEMU and on vkvm, a
# random argument property test and `make install`.
# Prints "ok"/"FAIL" lines and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
vkvm=$build/vkvm
guest=$build/examples/guest/demo.bin
tmp=$(mktemp -d /tmp/vkvm-vmm-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
skip=0

ok() { echo "ok   vmm: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL vmm: $*"; fail=$((fail + 1)); }
check() { # description command...
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}

make -s "$vkvm" "$guest" BUILD="$build" >/dev/null || bad "build vkvm and demo guest"
printf 'x' >"$tmp/k"

# --- the VMM uses the public API only --------------------------------------
includes_are_public() {
	! grep -HnE '^[[:space:]]*#[[:space:]]*include' src/vmm/*.[ch] tools/*.c |
		grep -vE '#[[:space:]]*include[[:space:]]*<(vkvm/(vkvm|kvm)\.h|[a-z0-9_]+(/[a-z0-9_]+)?\.h)>' |
		grep -vE '#[[:space:]]*include[[:space:]]*"(\.\./src/vmm/)?[a-z0-9_]+\.h"' |
		grep . ||
		return 1
	! grep -HnE '#[[:space:]]*include[[:space:]]*<(vkvm/[^kv]|api/|gic/|cpu/|common/)' \
		src/vmm/*.[ch] tools/*.c
}
check "src/vmm and tools include only public and system headers" includes_are_public
links_exported_only() {
	local undef
	ldd "$vkvm" | grep -q 'libvkvm\.so' || return 1
	undef=$(nm -D --undefined-only "$vkvm" | awk '{sub(/@.*/, "", $2); print $2}' |
		grep '^vkvm_' | sort)
	[ -z "$(comm -23 <(echo "$undef") <(printf '%s\n' vkvm_close vkvm_ioctl \
		vkvm_kick_vcpu vkvm_open vkvm_version | sort))" ]
}
check "vkvm links libvkvm.so and uses exported symbols only" links_exported_only

# --- argument errors: exit 2, message names the argument, no guest ---------
arg_error() { # needle args...
	local needle=$1 rc
	shift
	"$vkvm" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -qF -- "$needle" "$tmp/err" && [ ! -s "$tmp/out" ]; then
		ok "exit 2 naming '$needle': vkvm $*"
	else
		bad "vkvm $*: exit $rc, stderr: $(head -c 200 "$tmp/err")"
	fi
}
arg_error "--kernel" run
arg_error "/nonexistent/kernel" run --kernel /nonexistent/kernel
arg_error "--smp" run --kernel "$tmp/k" --smp 0
arg_error "--smp" run --kernel "$tmp/k" --smp 9
arg_error "--smp" run --kernel "$tmp/k" --smp 124 --gic v3
arg_error "--smp" run --kernel "$tmp/k" --smp many
arg_error "--memory" run --kernel "$tmp/k" --memory lots
arg_error "--memory" run --kernel "$tmp/k" --memory 9999999
arg_error "--memory" run --kernel "$tmp/k" --memory 0
arg_error "--gic" run --kernel "$tmp/k" --gic v4
arg_error "--timeout" run --kernel "$tmp/k" --timeout soon
arg_error "/nonexistent/initrd" run --kernel "$tmp/k" --initrd /nonexistent/initrd
arg_error "/nonexistent/dtb" run --kernel "$tmp/k" --dtb /nonexistent/dtb
arg_error "/nonexistent/bios" run --bios /nonexistent/bios
arg_error "--frob" run --kernel "$tmp/k" --frob
arg_error "--append" run --kernel "$tmp/k" --append
arg_error "launch" launch --kernel "$tmp/k"
"$vkvm" --version | grep -q '^vkvm ' && ok "--version" || bad "--version"
"$vkvm" --help | grep -q 'Ctrl-a x' && ok "--help" || bad "--help"

# --- malformed input files: exit 2, message names the file ----------------
file_error() { # file-needle args...
	local needle=$1 rc
	shift
	timeout 20 "$vkvm" "$@" --dump-dtb "$tmp/x.dtb" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -qF -- "$needle" "$tmp/err"; then
		ok "malformed file refused: $(head -c 100 "$tmp/err")"
	else
		bad "vkvm $*: exit $rc, stderr: $(head -c 200 "$tmp/err")"
	fi
}
printf '\177ELF\002\001\001junkjunk' >"$tmp/bad.elf"
: >"$tmp/empty"
printf '\037\213\010\000garbage' >"$tmp/bad.gz"
head -c 4096 /dev/urandom >"$tmp/bad.dtb"
head -c $((9 << 20)) /dev/zero >"$tmp/big.img"
file_error "$tmp/bad.elf" run --kernel "$tmp/bad.elf"
file_error "$tmp/empty" run --kernel "$tmp/empty"
file_error "$tmp/bad.gz" run --kernel "$tmp/bad.gz"
file_error "$tmp/bad.dtb" run --kernel "$tmp/k" --dtb "$tmp/bad.dtb"
file_error "$tmp/big.img" run --kernel "$tmp/k" --initrd "$tmp/big.img" --memory 16
file_error "$tmp/big.img" run --kernel "$tmp/big.img" --memory 8

# --- the device tree: the contract, dtc, and QEMU's tree -----------------
prop() { fdtget "$@" 2>/dev/null; }
expect_prop() { # dtb node prop expected [fdtget type]
	local got
	got=$(prop ${5:+-t $5} "$1" "$2" "$3")
	if [ "$got" = "$4" ]; then return 0; fi
	echo "#   $2 $3: '$got', want '$4'"
	return 1
}
contract_ok() { # dtb gic smp
	local d=$1 gic=$2 smp=$3 e=0 flags=4 i gicphandle
	[ "$gic" = 2 ] && flags=$(((((1 << smp) - 1) << 8) | 4))
	gicphandle=$(prop "$d" /intc@8000000 phandle)
	expect_prop "$d" / compatible "linux,dummy-virt" s || e=1
	expect_prop "$d" / "#address-cells" 2 || e=1
	expect_prop "$d" / "#size-cells" 2 || e=1
	expect_prop "$d" / interrupt-parent "$gicphandle" || e=1
	expect_prop "$d" /memory@40000000 device_type memory s || e=1
	expect_prop "$d" /memory@40000000 reg "0 1073741824 0 134217728" || e=1
	expect_prop "$d" /cpus "#address-cells" 1 || e=1
	expect_prop "$d" /cpus "#size-cells" 0 || e=1
	for ((i = 0; i < smp; i++)); do
		expect_prop "$d" /cpus/cpu@$i device_type cpu s || e=1
		expect_prop "$d" /cpus/cpu@$i compatible arm,armv8 s || e=1
		expect_prop "$d" /cpus/cpu@$i enable-method psci s || e=1
		expect_prop "$d" /cpus/cpu@$i reg $i || e=1
	done
	prop "$d" /cpus/cpu@$smp reg >/dev/null && e=1
	expect_prop "$d" /psci compatible "arm,psci-1.0 arm,psci-0.2 arm,psci" s || e=1
	expect_prop "$d" /psci method hvc s || e=1
	if [ "$gic" = 2 ]; then
		expect_prop "$d" /intc@8000000 compatible arm,cortex-a15-gic s || e=1
		expect_prop "$d" /intc@8000000 reg "0 134217728 0 65536 0 134283264 0 65536" || e=1
	else
		expect_prop "$d" /intc@8000000 compatible arm,gic-v3 s || e=1
		expect_prop "$d" /intc@8000000 reg "0 134217728 0 65536 0 134873088 0 16121856" || e=1
		expect_prop "$d" /intc@8000000 "#address-cells" 2 || e=1
		expect_prop "$d" /intc@8000000 "#size-cells" 2 || e=1
		prop "$d" /intc@8000000 ranges >/dev/null || e=1
		[ -z "$(fdtget -l "$d" /intc@8000000)" ] || e=1 # no subnode without compatible
	fi
	expect_prop "$d" /intc@8000000 "#interrupt-cells" 3 || e=1
	prop "$d" /intc@8000000 interrupt-controller >/dev/null || e=1
	expect_prop "$d" /timer interrupts "1 13 $flags 1 14 $flags 1 11 $flags 1 10 $flags" || e=1
	prop "$d" /timer compatible | grep -q arm,armv8-timer || e=1
	prop "$d" /timer always-on >/dev/null || e=1
	expect_prop "$d" /pl011@9000000 compatible "arm,pl011 arm,primecell" s || e=1
	expect_prop "$d" /pl011@9000000 reg "0 150994944 0 4096" || e=1
	expect_prop "$d" /pl011@9000000 interrupts "0 1 4" || e=1
	expect_prop "$d" /pl011@9000000 clock-names "uartclk apb_pclk" s || e=1
	expect_prop "$d" /pl011@9000000 clocks "$(prop "$d" /apb-pclk phandle) $(prop "$d" /apb-pclk phandle)" || e=1
	expect_prop "$d" /apb-pclk compatible fixed-clock s || e=1
	expect_prop "$d" /apb-pclk clock-frequency 24000000 || e=1
	expect_prop "$d" /apb-pclk "#clock-cells" 0 || e=1
	expect_prop "$d" /pl031@9010000 compatible "arm,pl031 arm,primecell" s || e=1
	expect_prop "$d" /pl031@9010000 interrupts "0 2 4" || e=1
	expect_prop "$d" /chosen bootargs "console=ttyAMA0 quiet" s || e=1
	expect_prop "$d" /chosen stdout-path /pl011@9000000 s || e=1
	expect_prop "$d" /chosen linux,initrd-start "0 1140850688" || e=1
	expect_prop "$d" /chosen linux,initrd-end "0 1140854784" || e=1
	return $e
}
# "path|prop|value" lines of a dtb, sorted, without phandle-valued and
# random properties and without what differs by design (CPU model name).
flatten() {
	dtc -s -I dtb -O dts "$1" 2>/dev/null | awk '
		/^[[:space:]]*[^[:space:]]+ \{$/ {
			name = $1
			path = (depth == 0) ? "" : stack[depth - 1] "/" name
			stack[depth++] = path
			next
		}
		/^[[:space:]]*\};$/ { depth--; next }
		/;$/ && depth > 0 {
			line = $0
			sub(/^[[:space:]]+/, "", line)
			split(line, kv, / = |;/)
			print stack[depth - 1] "|" kv[1] "|" line
		}' |
		grep -vE '\|(phandle|interrupt-parent|clocks|rng-seed|kaslr-seed|linux,initrd-start|linux,initrd-end|bootargs)\|' |
		grep -vE '^/cpus/cpu@[0-9a-f]+\|compatible\|' | sort
}
same_as_qemu() { # dtb gic smp
	local q=$tmp/qemu-$2-$3.dtb
	qemu-system-aarch64 -M "virt,gic-version=$2,dumpdtb=$q" -cpu max \
		-smp "$3" -m 128 -nographic >/dev/null 2>&1 || return 1
	flatten "$1" >"$tmp/ours"
	flatten "$q" >"$tmp/theirs"
	# every property both trees have must carry the same value
	join -t $'\t' -j 1 \
		<(awk -F'|' '{print $1 "|" $2 "\t" $0}' "$tmp/ours" | sort -t $'\t' -k1,1) \
		<(awk -F'|' '{print $1 "|" $2 "\t" $0}' "$tmp/theirs" | sort -t $'\t' -k1,1) |
		awk -F'\t' '$2 != $3 { print "#   differs: " $2 "  qemu: " $3; bad = 1 }
			END { exit bad }'
}
head -c 4096 /dev/urandom >"$tmp/initrd"
for gic in 2 3; do
	for smp in 1 4; do
		d=$tmp/v$gic-$smp.dtb
		if ! "$vkvm" run --kernel "$guest" --initrd "$tmp/initrd" --gic v$gic \
			--smp $smp --append "console=ttyAMA0 quiet" --dump-dtb "$d" 2>"$tmp/err"; then
			bad "--dump-dtb GICv$gic smp $smp: $(head -c 200 "$tmp/err")"
			continue
		fi
		check "dtc decompiles the GICv$gic smp $smp tree" \
			dtc -q -I dtb -O dts -o "$tmp/out.dts" "$d"
		check "GICv$gic smp $smp tree has every node of the contract" \
			contract_ok "$d" $gic $smp
		if command -v qemu-system-aarch64 >/dev/null; then
			check "GICv$gic smp $smp tree agrees with QEMU's on shared properties" \
				same_as_qemu "$d" $gic $smp
		fi
	done
done

# --- random argument combinations: a clear verdict, never a crash ---------
args_property() {
	local vals=(--smp 0 --smp 3 --smp 8 --smp x --memory 1 --memory 64
		--memory 1G --memory -5 --gic v3 --gic v2 --gic 7
		--append "a b" --timeout 3 --timeout 0 --initrd "$tmp/initrd"
		--initrd /nonexistent --dtb "$tmp/bad.dtb" --kernel "$tmp/k"
		--kernel "$tmp/bad.elf" --kernel "$guest" --bios "$tmp/k"
		--bogus -s 2 -m 32)
	local bin=${1:-$vkvm} i j n rc args e=0
	RANDOM=4242
	for ((i = 0; i < 80; i++)); do
		args=(run)
		n=$((RANDOM % 6))
		for ((j = 0; j < n; j++)); do
			args+=("${vals[$((RANDOM % ${#vals[@]}))]}")
		done
		timeout 60 "$bin" "${args[@]}" --dump-dtb "$tmp/p.dtb" >/dev/null 2>"$tmp/err"
		rc=$?
		if [ $rc -ge 124 ] || { [ $rc -ne 0 ] && [ ! -s "$tmp/err" ]; } ||
			{ [ $rc -eq 0 ] && ! dtc -q -I dtb -O dts -o /dev/null "$tmp/p.dtb"; }; then
			echo "#   vkvm ${args[*]} --dump-dtb: exit $rc"
			e=1
		fi
	done
	return $e
}
check "80 random argument combinations: exit status and message, no crash" args_property
# the same under ASan+UBSan (the build check.sh makes next anyway)
san_build=build/san-address-undefined
if make -s vmm SAN=address,undefined BUILD="$san_build" >/dev/null 2>&1; then
	check "80 random argument combinations under ASan+UBSan" \
		args_property "$san_build/vkvm"
else
	bad "build vkvm with SAN=address,undefined"
fi

# --- example guests: on QEMU (the reference) and on vkvm ------------------
# demo: PSCI, timer and SGIs on 4 vCPUs; echo: console input through the
# PL011 RX interrupt (SPI 33).  Input is fed after a pause, as typed.
no_engine='KVM_RUN: Function not implemented|KVM_CREATE_DEVICE: No such device'
no_engine+='|KVM_SET_USER_MEMORY_REGION: Invalid argument'
feed() { sleep 1; printf '%s' "$1"; }
guest_case() { # name smp input expect
	local name=$1 smp=$2 input=$3 expect=$4 gic rc bin
	bin=$build/examples/guest/$name.bin
	for gic in 2 3; do
		if command -v qemu-system-aarch64 >/dev/null; then
			feed "$input" | timeout 60 qemu-system-aarch64 \
				-M virt,gic-version=$gic -cpu max -smp "$smp" \
				-m 128 -nographic -no-reboot -kernel "$bin" \
				>"$tmp/q.out" 2>&1
			rc=$?
			if [ $rc -eq 0 ] && grep -qF -- "$expect" "$tmp/q.out"; then
				ok "$name guest on QEMU virt, GICv$gic, $smp vCPUs"
			else
				bad "$name guest on QEMU GICv$gic: exit $rc: $(tail -c 300 "$tmp/q.out")"
			fi
		fi
		feed "$input" | timeout 200 "$vkvm" run --kernel "$bin" --gic v$gic \
			--smp "$smp" --timeout 180 >"$tmp/v.out" 2>&1
		rc=$?
		# until the engine, vGIC and memslots are in the library
		if [ $rc -eq 1 ] && grep -qE "$no_engine" "$tmp/v.out"; then
			echo "skip vmm: $name guest on vkvm GICv$gic (library cannot run guests yet: $(grep -m1 -E 'KVM_' "$tmp/v.out"))"
			skip=$((skip + 1))
		elif [ $rc -eq 0 ] && grep -qF -- "$expect" "$tmp/v.out"; then
			ok "$name guest on vkvm, GICv$gic, $smp vCPUs"
		else
			bad "$name guest on vkvm GICv$gic: exit $rc: $(tail -c 300 "$tmp/v.out")"
		fi
	done
}
make -s guests BUILD="$build" >/dev/null || bad "build the example guests"
guest_case demo 4 "" "demo: PASS: 4 vCPUs"
guest_case echo 1 $'hi\nthere\nq' "<h><i><t><h><e><r><e>"

# --- U-Boot for qemu_arm64 (Debian's u-boot-qemu, fetched at test time) ---
# Reaches its prompt, runs `version` typed on stdin, then `poweroff`: on
# QEMU (the reference), on QEMU with vkvm's device tree (-dtb), on vkvm.
uboot=$build/third-party/u-boot-qemu/u-boot.bin
fetch_uboot() {
	local d=$build/third-party/u-boot-qemu
	[ -s "$uboot" ] && return 0
	rm -rf "$d" && mkdir -p "$d/deb" &&
		(cd "$d/deb" && apt-get download u-boot-qemu) >/dev/null 2>&1 &&
		dpkg-deb -x "$d"/deb/u-boot-qemu_*.deb "$d/x" &&
		cp "$d/x/usr/lib/u-boot/qemu_arm64/u-boot.bin" "$uboot" &&
		rm -rf "$d/x" "$d/deb"
}
uboot_session() { # timeout command...
	local t=$1
	shift
	scripts/console-expect.py "$t" 'expect:Hit any key' 'send:\n' \
		'expect:=> ' 'send:version\n' 'expect:U-Boot 20' 'expect:=> ' \
		'send:poweroff\n' -- "$@" >"$tmp/u.out" 2>&1
}
if fetch_uboot; then
	if command -v qemu-system-aarch64 >/dev/null; then
		qemu_uboot=(qemu-system-aarch64 -M virt -cpu max -m 128 -nographic
			-no-reboot -bios "$uboot")
		check "U-Boot: prompt, version, poweroff on QEMU virt" \
			uboot_session 60 "${qemu_uboot[@]}"
		"$vkvm" run --bios "$uboot" --dump-dtb "$tmp/uboot.dtb" &&
			check "U-Boot on QEMU with vkvm's device tree" \
				uboot_session 60 "${qemu_uboot[@]}" -dtb "$tmp/uboot.dtb"
	fi
	uboot_session 300 "$vkvm" run --bios "$uboot" --timeout 280
	rc=$?
	if [ $rc -eq 1 ] && grep -qE "$no_engine" "$tmp/u.out"; then
		echo "skip vmm: U-Boot on vkvm (library cannot run guests yet)"
		skip=$((skip + 1))
	elif [ $rc -eq 0 ]; then
		ok "U-Boot: prompt, version, poweroff on vkvm"
	else
		bad "U-Boot on vkvm: exit $rc: $(tail -c 300 "$tmp/u.out")"
	fi
else
	echo "skip vmm: U-Boot (apt-get download u-boot-qemu failed: offline?)"
	skip=$((skip + 1))
fi

# --- stopping: exit status of each way a run ends (needs the engine) ------
printf '\x00\x00\x00\x14' >"$tmp/loop.bin" # b .
# mov w0, #9; movk w0, #0x8400, lsl #16; hvc #0 (PSCI SYSTEM_RESET); b .
printf '\x20\x01\x80\x52\x00\x80\xb0\x72\x02\x00\x00\xd4\x00\x00\x00\x14' >"$tmp/reset.bin"
stop_case() { # what want-status kernel input [vkvm options...]
	local what=$1 want=$2 kernel=$3 input=$4 rc
	shift 4
	if [ "$input" = TERM ]; then
		# SIGTERM after 2 s; vkvm's own status comes back
		timeout --preserve-status -k 20 -s TERM 2 "$vkvm" run \
			--kernel "$kernel" "$@" </dev/null >"$tmp/s.out" 2>&1
	else
		feed "$input" | timeout 60 "$vkvm" run --kernel "$kernel" "$@" >"$tmp/s.out" 2>&1
	fi
	rc=$?
	if [ $rc -eq 1 ] && grep -qE "$no_engine" "$tmp/s.out"; then
		echo "skip vmm: $what (library cannot run guests yet)"
		skip=$((skip + 1))
	elif [ $rc -eq "$want" ]; then
		ok "$what: exit $want"
	else
		bad "$what: exit $rc, want $want: $(tail -c 200 "$tmp/s.out")"
	fi
}
stop_case "Ctrl-a x quits" 6 "$tmp/loop.bin" $'\001x'
stop_case "--timeout stops the guest" 4 "$tmp/loop.bin" "" --timeout 2
stop_case "SIGTERM stops the guest" 6 "$tmp/loop.bin" TERM
stop_case "PSCI SYSTEM_RESET" 3 "$tmp/reset.bin" ""
stop_case "4 vCPUs, secondaries off, --timeout" 4 "$tmp/loop.bin" "" --smp 4 --timeout 2

# --- a terminal on stdin: raw while the guest runs, restored after -------
cat >"$tmp/ttycheck.py" <<'EOF'
import os, pty, subprocess, sys, termios, time
m, s = pty.openpty()
before = termios.tcgetattr(s)
p = subprocess.Popen(sys.argv[1:], stdin=s, stdout=s, stderr=s)
time.sleep(2)
during = termios.tcgetattr(s)
os.write(m, b"\x01x")
rc = p.wait(timeout=30)
if rc == 1:
    sys.exit(77)
raw = not (during[3] & termios.ICANON) and not (during[3] & termios.ECHO)
sys.exit(0 if rc == 6 and raw and termios.tcgetattr(s) == before else 1)
EOF
python3 "$tmp/ttycheck.py" "$vkvm" run --kernel "$tmp/loop.bin"
case $? in
0) ok "terminal stdin: raw mode while running, restored after Ctrl-a x" ;;
77)
	echo "skip vmm: terminal raw mode (library cannot run guests yet)"
	skip=$((skip + 1))
	;;
*) bad "terminal stdin: not raw while running or not restored" ;;
esac

# --- make install puts bin/vkvm and its man page in place ----------------
install_ok() {
	make -s install BUILD="$build" PREFIX="$tmp/prefix" >/dev/null 2>&1 &&
		"$tmp/prefix/bin/vkvm" --version | grep -q '^vkvm' &&
		[ -f "$tmp/prefix/share/man/man1/vkvm.1" ] &&
		grep -q '^\.SH EXIT STATUS' "$tmp/prefix/share/man/man1/vkvm.1"
}
[ "$build" = build ] && check "make install: bin/vkvm runs, man page installed" install_ok

echo "vmm: $skip skipped"
echo "$pass passed, $fail failed"
