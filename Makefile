# SPDX-License-Identifier: GPL-2.0-or-later
# vkvm top-level Makefile.
#
#   make              build libvkvm (static and shared) and the tools
#   make check        install what is missing, build, run every test
#                     (plain, then ASan+UBSan, then TSan for threaded tests)
#   make check SAN=address,undefined   the whole suite under those sanitizers
#   make demo         install what is missing, build and run the demo
#   make bench | fuzz | install PREFIX=DIR | clean
#
# VKVM_NO_DEPS=1 skips the dependency installer (scripts/deps.sh).

V ?= 0
Q := $(if $(filter 1,$(V)),,@)

CC ?= cc
SAN ?=
# SAN=plain is check.sh's name for the pass without sanitizers: it
# selects that pass for `make check`, and builds without any.
SAN_OPT := $(filter-out plain,$(SAN))
PREFIX ?= /usr/local
SONAME_MAJOR := 0
VERSION := 0.1.0

ifeq ($(SAN_OPT),)
BUILD ?= build
else
BUILD ?= build/san-$(subst $(comma),-,$(SAN_OPT))
endif
comma := ,

WARN := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wpointer-arith \
	-Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations \
	-Wold-style-definition -Wredundant-decls -Wvla -Wundef \
	-Wno-unused-parameter -Wno-missing-field-initializers

CFLAGS ?= -O2 -g
BASE_CFLAGS := -std=gnu11 $(WARN) -fno-strict-aliasing -Iinclude -Isrc \
	-D_GNU_SOURCE -pthread
ifneq ($(SAN_OPT),)
BASE_CFLAGS += -fsanitize=$(SAN_OPT) -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_LDFLAGS := -fsanitize=$(SAN_OPT)
endif
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS_LIB := -pthread -lm

# Unicorn (scripts/fetch-unicorn.sh unpacks Debian's 2.1.1 here).
UNICORN_DIR := third_party/unicorn
UNICORN_A := $(UNICORN_DIR)/usr/lib/x86_64-linux-gnu/libunicorn.a
UNICORN_INC := $(UNICORN_DIR)/usr/include

LIB_SRCS := $(sort $(wildcard src/common/*.c src/api/*.c src/gic/*.c src/cpu/*.c))
LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
LIB_PIC_OBJS := $(patsubst %.c,$(BUILD)/pic/%.o,$(LIB_SRCS))
LIB_A := $(BUILD)/libvkvm.a
LIB_SO := $(BUILD)/libvkvm.so.$(VERSION)
LIB_DIST_A := $(BUILD)/dist/libvkvm.a

TEST_LIB_SRCS := $(sort $(wildcard tests/lib/*.c))
TEST_LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_LIB_SRCS))
TEST_SRCS := $(sort $(wildcard tests/unit/*.c tests/api/*.c))
TEST_BINS := $(patsubst %.c,$(BUILD)/%,$(TEST_SRCS))

EXAMPLE_SRCS := $(sort $(wildcard examples/*.c))
EXAMPLE_BINS := $(patsubst %.c,$(BUILD)/%,$(EXAMPLE_SRCS))

# The vkvm VMM: public headers only (no -Isrc), linked against the shared
# library with nothing but its exported symbols, as an outside program is.
VMM_CFLAGS = -std=gnu11 $(WARN) -fno-strict-aliasing -Iinclude \
	-D_GNU_SOURCE -pthread $(if $(SAN_OPT),-fsanitize=$(SAN_OPT) \
	-fno-omit-frame-pointer -fno-sanitize-recover=all) $(CFLAGS) \
	$(EXTRA_CFLAGS)
VMM_LIBS := -lfdt -lz -pthread
VMM_SRCS := $(sort $(wildcard src/vmm/*.c))
VMM_OBJS := $(patsubst %.c,$(BUILD)/vmm/%.o,$(VMM_SRCS))
VMM_BIN := $(BUILD)/vkvm
VMM_TEST_SRCS := $(sort $(wildcard tests/vmm/*.c))
VMM_TEST_BINS := $(patsubst %.c,$(BUILD)/%,$(VMM_TEST_SRCS))
DEMO_GUEST := $(BUILD)/examples/guest/demo.bin
GUEST_COMMON := examples/guest/start.S examples/guest/virt.c
GUEST_BINS := $(patsubst examples/guest/%.c,$(BUILD)/examples/guest/%.bin,\
	$(filter-out $(GUEST_COMMON),$(wildcard examples/guest/*.c)))
GUEST_CC := aarch64-linux-gnu-gcc
GUEST_CFLAGS := -O2 -g -ffreestanding -nostdlib -nostartfiles -static \
	-mgeneral-regs-only -mstrict-align -march=armv8-a \
	-mno-outline-atomics -fno-pie -no-pie -Wall -Wextra -Werror \
	-Wno-unused-parameter \
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments

BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_BINS := $(patsubst %.c,$(BUILD)/%,$(BENCH_SRCS))

.PHONY: all lib tests examples check check-build deps demo bench fuzz fuzz-build \
	install clean format vmm guests demo-guest demo-vmm demo-example \
	check-slow test-guests

all: lib examples vmm

lib: $(LIB_A) $(LIB_SO)

# --- Unicorn 2.1.1 (engine, issue 5) ----------------------------------------
# Debian's libunicorn.a is partially linked into libvkvm (one relocatable
# object: only the members the engine needs), so libvkvm.a and libvkvm.so
# are self-contained.  Only src/cpu sees the Unicorn headers.
UNICORN_STAMP := $(UNICORN_DIR)/.vkvm-stamp
$(UNICORN_A) $(UNICORN_STAMP):
	$(Q)./scripts/fetch-unicorn.sh
$(BUILD)/obj/src/cpu/%.o $(BUILD)/pic/src/cpu/%.o: \
	EXTRA_CFLAGS += -isystem $(UNICORN_INC)
$(BUILD)/obj/src/cpu/%.o $(BUILD)/pic/src/cpu/%.o: | $(UNICORN_A)
LIB_LDFLAGS := -Wl,--gc-sections
# ----------------------------------------------------------------------------

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c $< -o $@

$(LIB_A): $(LIB_OBJS) $(UNICORN_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -r -nostdlib -o $(BUILD)/libvkvm-all.o $(LIB_OBJS) $(UNICORN_A)
	$(Q)rm -f $@ && ar rcs $@ $(BUILD)/libvkvm-all.o

$(LIB_SO): $(LIB_PIC_OBJS) $(UNICORN_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -shared -Wl,-soname,libvkvm.so.$(SONAME_MAJOR) \
		-Wl,--version-script=src/libvkvm.map $(LIB_LDFLAGS) -o $@ $^ \
		$(SAN_LDFLAGS) $(LDLIBS_LIB)
	$(Q)ln -sf libvkvm.so.$(VERSION) $(BUILD)/libvkvm.so.$(SONAME_MAJOR)
	$(Q)ln -sf libvkvm.so.$(SONAME_MAJOR) $(BUILD)/libvkvm.so

# The installed archive: one object, partially linked from libvkvm.a
# (which already holds the Unicorn members the engine uses), in which only
# the symbols of src/libvkvm.map stay global, as in libvkvm.so.  An outside
# static program then needs nothing but pkg-config's flags, and libvkvm's
# and Unicorn's internal names cannot clash with its own.
$(LIB_DIST_A): $(LIB_A) src/libvkvm.map
	@mkdir -p $(dir $@)
	$(Q)sed -n 's/^[[:space:]]*\(vkvm_[a-z0-9_]*\);/\1/p' \
		src/libvkvm.map >$(BUILD)/dist/public.syms
	$(Q)$(CC) -r -nostdlib -o $(BUILD)/dist/libvkvm.o \
		-Wl,--whole-archive $(LIB_A) -Wl,--no-whole-archive
	$(Q)objcopy --keep-global-symbols=$(BUILD)/dist/public.syms \
		$(BUILD)/dist/libvkvm.o
	$(Q)rm -f $@ && ar rcs $@ $(BUILD)/dist/libvkvm.o

# Tests and examples link the static library (tests may use internals).
$(BUILD)/tests/%: tests/%.c $(TEST_LIB_OBJS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -MMD -MP $< $(TEST_LIB_OBJS) $(LIB_A) \
		-o $@ $(SAN_LDFLAGS) $(LDLIBS_LIB)
# The kit's own test drives src/cpu/uc_kit.h, so it sees Unicorn's headers.
$(BUILD)/tests/unit/uc_kit_test: EXTRA_CFLAGS += -isystem $(UNICORN_INC)
# So does the fiber test (Unicorn engines switched inside their callbacks).
$(BUILD)/tests/unit/fiber_test: EXTRA_CFLAGS += -isystem $(UNICORN_INC)

$(BUILD)/obj/tests/lib/%.o: tests/lib/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -MMD -MP -c $< -o $@

$(BUILD)/examples/%: examples/%.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP $< $(LIB_A) -o $@ $(SAN_LDFLAGS) \
		$(LDLIBS_LIB)

$(BUILD)/bench/%: bench/%.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP $< $(LIB_A) -o $@ $(SAN_LDFLAGS) \
		$(LDLIBS_LIB)

# The snapshot benchmark drives the VMM's save/restore code.
SNAP_BENCH_OBJS := $(addprefix $(BUILD)/vmm/src/vmm/,snapshot_format.o \
	snapshot_parse.o vm_state.o gic_state.o util.o)
$(BUILD)/bench/snapshot_bench: bench/snapshot_bench.c $(SNAP_BENCH_OBJS) \
		$(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP $< $(SNAP_BENCH_OBJS) $(LIB_A) -o $@ \
		$(SAN_LDFLAGS) $(LDLIBS_LIB)

$(BUILD)/vmm/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(VMM_CFLAGS) -MMD -MP -c $< -o $@

$(VMM_BIN): $(BUILD)/vmm/tools/vkvm.o $(VMM_OBJS) $(LIB_SO)
	$(Q)$(CC) $(VMM_CFLAGS) $(BUILD)/vmm/tools/vkvm.o $(VMM_OBJS) \
		-L$(BUILD) -lvkvm -Wl,-rpath,'$$ORIGIN:$$ORIGIN/../lib' \
		-o $@ $(SAN_LDFLAGS) $(VMM_LIBS)

# VMM unit tests may look inside src/vmm; they link the static library.
$(BUILD)/tests/vmm/%: tests/vmm/%.c $(TEST_LIB_OBJS) $(VMM_OBJS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -MMD -MP $< $(TEST_LIB_OBJS) \
		$(VMM_OBJS) $(LIB_A) -o $@ $(SAN_LDFLAGS) $(LDLIBS_LIB) \
		$(VMM_LIBS)

# Example guests: examples/guest/NAME.c + start.S + virt.c -> NAME.bin
$(BUILD)/examples/guest/%.elf: examples/guest/%.c $(GUEST_COMMON) \
		examples/guest/virt.h examples/guest/demo.ld
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -T examples/guest/demo.ld \
		$(GUEST_COMMON) $< -o $@

$(BUILD)/examples/guest/%.bin: $(BUILD)/examples/guest/%.elf
	$(Q)aarch64-linux-gnu-objcopy -O binary $< $@

vmm: $(VMM_BIN)
.PRECIOUS: $(BUILD)/examples/guest/%.elf
guests: $(GUEST_BINS)
demo-guest: $(DEMO_GUEST)
tests: $(TEST_BINS) $(VMM_TEST_BINS)

# --- guest tests (issue 5): freestanding AArch64 programs + test VMM ------
TGUEST_OBJCOPY := aarch64-linux-gnu-objcopy
TGUEST_CFLAGS := -O2 -g -std=gnu11 -ffreestanding -fno-pic -fno-stack-protector \
	-mgeneral-regs-only -march=armv8.1-a -Wall -Wextra -Werror -Itests/guest
TGUEST_LIB := tests/guest/lib/start.S tests/guest/lib/guest.c
TGUEST_PROGS := $(patsubst tests/guest/%.c,$(BUILD)/guest/%.bin,\
	$(filter-out tests/guest/runner.c,$(wildcard tests/guest/*.c)))
$(BUILD)/guest/%.elf: tests/guest/%.c $(TGUEST_LIB) $(wildcard tests/guest/lib/*.h) \
		tests/guest/lib/guest.ld
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) $(TGUEST_CFLAGS) -nostdlib -static \
		-Wl,-T,tests/guest/lib/guest.ld -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments \
		-o $@ $(TGUEST_LIB) $<
$(BUILD)/guest/%.bin: $(BUILD)/guest/%.elf
	$(Q)$(TGUEST_OBJCOPY) -O binary $< $@
$(BUILD)/guest/runner: tests/guest/runner.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP $< $(LIB_A) -o $@ $(SAN_LDFLAGS) \
		$(LDLIBS_LIB)
$(BUILD)/bench/guest/%.elf: bench/guest/%.c $(TGUEST_LIB) \
		$(wildcard tests/guest/lib/*.h) tests/guest/lib/guest.ld
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) $(TGUEST_CFLAGS) -nostdlib -static \
		-Wl,-T,tests/guest/lib/guest.ld -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments -o $@ $(TGUEST_LIB) $<
$(BUILD)/bench/guest/%.bin: $(BUILD)/bench/guest/%.elf
	$(Q)$(TGUEST_OBJCOPY) -O binary $< $@
.PRECIOUS: $(BUILD)/guest/%.elf $(BUILD)/bench/guest/%.elf
test-guests: $(TGUEST_PROGS) $(BUILD)/guest/runner
# ----------------------------------------------------------------------------

examples: $(EXAMPLE_BINS)

deps:
ifneq ($(VKVM_NO_DEPS),1)
	$(Q)./scripts/deps.sh
endif

# The README's test command.  Plain run, then the sanitizer passes; one
# summary line at the end.
check: deps
	$(Q)./scripts/check.sh $(if $(SAN),--san $(SAN))

# The Linux checks alone (Debian's arm64 Linux on QEMU and vkvm, issue 6;
# make check runs them too).
check-slow: deps
	$(Q)$(MAKE) --no-print-directory -s vmm
	$(Q)./scripts/check-linux.sh $(BUILD)

# Build and run one flavour (used by scripts/check.sh).
check-build: lib tests examples vmm test-guests

# What `make demo` runs: the demo guest on the VMM (DEMO := demo-example
# runs the API example instead).
DEMO := demo-vmm
demo: deps
	$(Q)$(MAKE) --no-print-directory -s $(DEMO)

demo-example:
	$(Q)$(MAKE) --no-print-directory -s examples
	$(Q)$(BUILD)/examples/demo

# The demo guest (examples/guest/demo.c) on vkvm: 4 vCPUs up with PSCI,
# timer and SGI interrupts, power off.
demo-vmm: deps
	$(Q)$(MAKE) --no-print-directory -s vmm demo-guest
	$(Q)$(VMM_BIN) run --kernel $(DEMO_GUEST) --smp 4 --timeout 300

bench: deps
	$(Q)$(MAKE) --no-print-directory -s $(BENCH_BINS) test-guests \
		$(BUILD)/bench/guest/bench_guest.bin \
		$(BUILD)/bench/guest/bench_gicv2.bin
	$(Q)./scripts/bench.sh $(BUILD)
	$(Q)./scripts/bench-vmm.sh $(BUILD)
	$(Q)./scripts/bench-snapshot.py $(BUILD)

install: lib $(LIB_DIST_A) vmm
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/vkvm
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(VMM_BIN) $(DESTDIR)$(PREFIX)/bin/vkvm
	install -m 644 docs/vkvm.1 $(DESTDIR)$(PREFIX)/share/man/man1/vkvm.1
	install -m 644 $(LIB_DIST_A) $(DESTDIR)$(PREFIX)/lib/libvkvm.a
	install -m 755 $(LIB_SO) $(DESTDIR)$(PREFIX)/lib/libvkvm.so.$(VERSION)
	ln -sf libvkvm.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libvkvm.so.$(SONAME_MAJOR)
	ln -sf libvkvm.so.$(SONAME_MAJOR) $(DESTDIR)$(PREFIX)/lib/libvkvm.so
	install -m 644 include/vkvm/*.h $(DESTDIR)$(PREFIX)/include/vkvm/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
		-e 's|@LIBS_PRIVATE@|$(LDLIBS_LIB)|g' \
		vkvm.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/vkvm.pc

# libFuzzer harnesses (tests/fuzz/*.c), built with clang and ASan+UBSan
# from the library sources.  make fuzz runs each for FUZZ_SECONDS, or for
# FUZZ_RUNS inputs when that is set (CI); corpora stay in build/fuzz/.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 600
FUZZ_RUNS ?=
FUZZ_DIR := build/fuzz
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FUZZ_DIR)/%,$(FUZZ_SRCS))
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Iinclude -Isrc -Itests -D_GNU_SOURCE \
	-pthread -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all \
	$(if $(wildcard $(UNICORN_INC)),-isystem $(UNICORN_INC))
FUZZ_LIBS = $(wildcard $(UNICORN_A)) $(LDLIBS_LIB)

# The snapshot parser and inspect decoder (src/vmm, public headers only).
FUZZ_VMM_SRCS := $(addprefix src/vmm/,snapshot_format.c snapshot_parse.c \
	inspect.c inspect_out.c gic_state.c util.c migrate_stream.c)

$(FUZZ_DIR)/%: tests/fuzz/%.c $(LIB_SRCS) $(FUZZ_VMM_SRCS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(LIB_SRCS) $(FUZZ_VMM_SRCS) -o $@ \
		$(FUZZ_LIBS)

# VMM harnesses (tests/fuzz/vmm_*.c) take the VMM's file parsers instead.
VMM_FUZZ_SRCS := src/vmm/loader.c src/vmm/fdt.c src/vmm/util.c
$(FUZZ_DIR)/vmm_%: tests/fuzz/vmm_%.c $(VMM_FUZZ_SRCS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(VMM_FUZZ_SRCS) -o $@ -lfdt -lz

fuzz-build: $(FUZZ_BINS)

fuzz: deps fuzz-build
	$(Q)for f in $(FUZZ_BINS); do \
		mkdir -p $$f.corpus && \
		$$f $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS)) \
			$$f.corpus || exit 1; \
	done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
