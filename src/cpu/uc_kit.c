// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uc_kit.c: the only place with Unicorn internals (engine spec K1-K5).
 *
 * Debian's libunicorn 2.1.1 has no public API for architectural exception
 * entry, interrupt lines or a rewind-free stop.  QEMU's own functions that
 * do these are reachable from the static library, and two fields of
 * uc_struct are needed.  Every internal is located at run time (magic
 * register values for cs/env, neighbouring fields for no_exit_request),
 * then compared with the offsets expected for 2.1.1-2+b2; any difference
 * refuses the engine instead of running a guest on guessed offsets.
 */
#include "cpu/uc_kit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "cpu/cpu.h"

/* QEMU internals exported by libunicorn (engine spec, "Exported"). */
extern void arm_cpu_do_interrupt_aarch64(void *cs);
extern void cpu_exit(void *cs);
extern void tlb_flush_aarch64(void *cs);
extern void tlb_flush_page_aarch64(void *cs, uint64_t addr);
extern void arm_rebuild_hflags_aarch64(void *env);
extern uint64_t
arm_cpu_get_phys_page_attrs_debug_aarch64(void *cs, uint64_t addr, void *attrs);
extern uint64_t qemu_ram_addr_from_host_aarch64(void *uc, void *ptr);
extern void tb_invalidate_phys_range_aarch64(void *uc, uint64_t start,
					     uint64_t end);

#define KIT_RAM_ADDR_INVALID UINT64_MAX
extern void memory_region_set_readonly_aarch64(void *mr, bool readonly);
extern bool cpu_restore_state_aarch64(void *cs, uintptr_t host_pc,
				      bool will_exit);
extern size_t tcg_code_capacity_aarch64(void *tcg_ctx);
extern size_t tcg_code_size_aarch64(void *tcg_ctx);

#define CPU_INTERRUPT_HARD 0x0002U
#define CPU_INTERRUPT_FIQ 0x0010U /* CPU_INTERRUPT_TGT_EXT_1 */

#define KIT_UC_SCAN 14880 /* sizeof(struct uc_struct) in 2.1.1 */
#define KIT_CS_SCAN 4096 /* words of CPUState searched for env_ptr */
#define KIT_ENV_MAX 0x40000 /* env lies this close after cs */
#define KIT_MAGIC 0x5eed0000c0de0000ULL
#define KIT_MAGIC_PC 0x40001000ULL
/* The page mapped once to make Unicorn initialise (not page 0: a later
 * read-only slot at 0 then faulted on fetch). */
#define KIT_INIT_PAGE 0x7ffffffff000ULL

/*
 * What uc_mmio_map allocates in 2.1.1 (softmmu/memory.c, mmio_cbs): the
 * read callback, its opaque, the write callback, its opaque, then the
 * region's MemoryRegionOps (read, write, read_with_attrs,
 * write_with_attrs, endianness, valid {min, max, unaligned, accepts},
 * impl {min, max, unaligned}: 80 bytes, all zero but read and write).
 */
#define KIT_CBS_OPS 32
#define KIT_OPS_ZERO_FROM 16
#define KIT_OPS_SIZE 80
#define KIT_OPS_IMPL_MAX 68
#define KIT_MAX_BLOCKS 4096

#define SCR_EL3_NS (1ULL << 0)
#define SCR_EL3_HCE (1ULL << 8)
#define SCR_EL3_RW (1ULL << 10)
#define HCR_EL2_RW (1ULL << 31)

/* Read host memory without faulting: the probe may follow bad pointers. */
static int safe_read(const void *addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)addr, len };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) ==
			       (ssize_t)len ?
		       0 :
		       -1;
}

uc_err uc_kit_sysreg_write(uc_engine *uc, unsigned op0, unsigned op1,
			   unsigned crn, unsigned crm, unsigned op2,
			   uint64_t val)
{
	uc_arm64_cp_reg cp = { .crn = crn,
			       .crm = crm,
			       .op0 = op0,
			       .op1 = op1,
			       .op2 = op2,
			       .val = val };

	return uc_reg_write(uc, UC_ARM64_REG_CP_REG, &cp);
}

uc_err uc_kit_sysreg_read(uc_engine *uc, unsigned op0, unsigned op1,
			  unsigned crn, unsigned crm, unsigned op2,
			  uint64_t *val)
{
	uc_arm64_cp_reg cp = {
		.crn = crn, .crm = crm, .op0 = op0, .op1 = op1, .op2 = op2
	};
	uc_err err = uc_reg_read(uc, UC_ARM64_REG_CP_REG, &cp);

	*val = cp.val;
	return err;
}

__attribute__((weak)) size_t cpu_self_test_skew(void)
{
	return 0;
}

static bool looks_like_ptr(uint64_t p)
{
	return p >= 0x10000 && p < 0x800000000000ULL && !(p & 7);
}

/*
 * The magic values of one attach: unique per attach, so that an old
 * engine's freed memory can never match.
 */
static uint64_t kit_magic(const struct uc_kit *kit, int i)
{
	return KIT_MAGIC ^ kit->nonce ^ ((uint64_t)i * 0x1111);
}

/* Does @env hold the magic X0-X3 and PC just written? */
static bool env_matches(const struct uc_kit *kit, uint64_t env)
{
	uint64_t x[4], pc;

	if (safe_read((void *)(env + UC_KIT_OFF_ENV_XREGS), x, sizeof(x)) ||
	    safe_read((void *)(env + UC_KIT_OFF_ENV_PC), &pc, sizeof(pc)))
		return false;
	for (int i = 0; i < 4; i++)
		if (x[i] != kit_magic(kit, i))
			return false;
	return pc == KIT_MAGIC_PC;
}

/* In CPUState @cs, the offset of a pointer to a matching env, or 0. */
static size_t find_env_ptr(const struct uc_kit *kit, uint64_t cs, uint64_t *env)
{
	static const size_t chunk = 512;
	uint64_t w[512];

	for (size_t base = 0; base < KIT_CS_SCAN; base += chunk) {
		if (safe_read((void *)(cs + base * 8), w, sizeof(w)))
			return 0;
		for (size_t i = 0; i < chunk; i++) {
			if (w[i] <= cs || w[i] > cs + KIT_ENV_MAX ||
			    (w[i] & 7) || !env_matches(kit, w[i]))
				continue;
			*env = w[i];
			return (base + i) * 8;
		}
	}
	return 0;
}

/* K1 at the expected place: uc->cpu, cs->env_ptr, env = cs + offset,
 * and the magic values in env.  Returns true when all of it holds. */
static bool kit_cpu_expected(struct uc_kit *kit)
{
	const char *uc = (const char *)(void *)kit->uc;
	size_t off = UC_KIT_OFF_UC_CPU + cpu_self_test_skew();
	uint64_t cs, env;

	if (safe_read(uc + off, &cs, sizeof(cs)) || !looks_like_ptr(cs) ||
	    safe_read((void *)(cs + UC_KIT_OFF_CS_ENV_PTR), &env,
		      sizeof(env)) ||
	    env != cs + UC_KIT_OFF_ENV_FROM_CS || !env_matches(kit, env))
		return false;
	kit->off_cpu = off;
	kit->cs = (void *)cs;
	kit->env = (void *)env;
	return true;
}

/* K1 failed where expected: scan uc_struct to say where cs really is. */
static void kit_cpu_report(struct uc_kit *kit)
{
	const uint64_t *words = (const uint64_t *)(void *)kit->uc;
	uint64_t w, env = 0;
	size_t env_off;

	for (size_t i = 0; i < KIT_UC_SCAN / 8; i++) {
		if (safe_read(&words[i], &w, sizeof(w)))
			break;
		if (!looks_like_ptr(w))
			continue;
		env_off = find_env_ptr(kit, w, &env);
		if (env_off) {
			pr_err("unicorn kit: layout differs from 2.1.1: a "
			       "CPUState at uc+%zu (want %zu) with env_ptr at "
			       "+%zu (want %d)\n",
			       i * 8, UC_KIT_OFF_UC_CPU + cpu_self_test_skew(),
			       env_off, UC_KIT_OFF_CS_ENV_PTR);
			return;
		}
	}
	pr_err("unicorn kit: CPUState not found in uc_struct\n");
}

static int kit_find_cpu(struct uc_kit *kit)
{
	if (kit_cpu_expected(kit))
		return 0;
	kit_cpu_report(kit);
	return -ENOTSUP;
}

/* env->pstate (uc_kit_el) at its 2.1.1 offset: QEMU keeps the mode bits
 * there and NZCV/DAIF elsewhere.  Leaves the CPU at EL1h, DAIF masked. */
static int kit_check_pstate(struct uc_kit *kit)
{
	static const uint64_t modes[] = { 0x3c4, 0x3c5 }; /* EL1t, EL1h */
	uint32_t got;

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (uc_reg_write(kit->uc, UC_ARM64_REG_PSTATE, &modes[i]))
			return -ENOTSUP;
		memcpy(&got, (char *)kit->env + UC_KIT_OFF_ENV_PSTATE,
		       sizeof(got));
		if (got != (modes[i] & 0xf) || uc_kit_el(kit) != 1) {
			pr_err("unicorn kit: PSTATE not at the 2.1.1 offset\n");
			return -ENOTSUP;
		}
	}
	return 0;
}

/*
 * K2: in 2.1.1 no_exit_request follows two u64 page sizes (4096), three
 * ints (the last is cpu_context_size, 24 less than uc_context_size()),
 * u64 next_pc, then the bools hook_insert, first_tb, no_exit_request,
 * init_done (1 once Unicorn has initialised).  Measured on 2.1.1-2+b2.
 */
static int kit_find_no_exit(struct uc_kit *kit)
{
	const uint8_t *b = (const uint8_t *)(void *)kit->uc;
	size_t ctx_size = uc_context_size(kit->uc);
	uint64_t a, c;
	int32_t ctx;

	for (size_t off = 0x100; off + 48 <= KIT_UC_SCAN; off += 8) {
		memcpy(&a, b + off, 8);
		memcpy(&c, b + off + 8, 8);
		memcpy(&ctx, b + off + 24, 4);
		if (a != 4096 || c != 4096 || b[off + 43] != 1 ||
		    b[off + 42] > 1 || (size_t)ctx + 24 != ctx_size)
			continue;
		kit->off_no_exit = off + 42;
		break;
	}
	if (kit->off_no_exit != UC_KIT_OFF_NO_EXIT_REQUEST) {
		pr_err("unicorn kit: no_exit_request found at %zu, want %d\n",
		       kit->off_no_exit, UC_KIT_OFF_NO_EXIT_REQUEST);
		return -ENOTSUP;
	}
	return 0;
}

static int kit_write_magic(struct uc_kit *kit)
{
	uc_engine *uc = kit->uc;
	uint64_t v, pc = KIT_MAGIC_PC;
	struct timespec ts;

	/* Time and address: no two attaches share a nonce. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	kit->nonce =
		((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec) ^
		((uint64_t)(uintptr_t)uc << 16);
	for (int i = 0; i < 4; i++) {
		v = kit_magic(kit, i);
		if (uc_reg_write(uc, UC_ARM64_REG_X0 + i, &v))
			return -ENOTSUP;
	}
	return uc_reg_write(uc, UC_ARM64_REG_PC, &pc) ? -ENOTSUP : 0;
}

/* K3: EL1 is AArch64, HVC enabled, non-secure; verified in env. */
static int kit_set_el3_el2(struct uc_kit *kit)
{
	uint64_t scr = SCR_EL3_NS | SCR_EL3_HCE | SCR_EL3_RW;
	uint64_t hcr = HCR_EL2_RW, got_scr, got_hcr;

	if (uc_kit_sysreg_write(kit->uc, 3, 6, 1, 1, 0, scr) ||
	    uc_kit_sysreg_write(kit->uc, 3, 4, 1, 1, 0, hcr))
		return -ENOTSUP;
	memcpy(&got_scr, (char *)kit->env + UC_KIT_OFF_ENV_SCR_EL3, 8);
	memcpy(&got_hcr, (char *)kit->env + UC_KIT_OFF_ENV_HCR_EL2, 8);
	/* QEMU adds SCR_EL3's RES1 bits 5:4 on write. */
	if ((got_scr & ~0x30ULL) != scr || got_hcr != hcr) {
		pr_err("unicorn kit: SCR_EL3/HCR_EL2 not at the 2.1.1 offsets\n");
		return -ENOTSUP;
	}
	return 0;
}

/*
 * K10: the translation buffer.  Unicorn 2.1.1 sets up its one TCG region
 * without counting it as taken (region.current stays 0; QEMU's
 * tcg_region_initial_alloc, which sets it to 1, runs only in a vCPU
 * thread Unicorn never starts).  So when the buffer fills, tcg_tb_alloc
 * "assigns the next region", region 0 again: code_gen_ptr goes back to
 * the start and new code overwrites blocks that are still hashed and
 * chained, and the next chaining crashes in tb_set_jmp_target (Unicorn
 * issues #1923, #2048).  With current = 1 (= region.n) a full buffer
 * takes QEMU's own path instead: tb_gen_code flushes everything and
 * leaves cpu_exec's inner loop with EXCP_INTERRUPT, holding no block
 * pointer, and Unicorn carries on; tb_flush resets current to 1 again.
 *
 * TCGContext offsets of 2.1.1-2+b2, read from its exported
 * tcg_code_size, tcg_code_capacity, tcg_tb_alloc, tcg_region_reset_all
 * and tcg_exec_init (which stores the context at uc+744 and sets
 * ctx->uc).
 */
#define KIT_TCG_BUF 0xa0 /* code_gen_buffer */
#define KIT_TCG_BUF_SIZE 0xb8 /* code_gen_buffer_size */
#define KIT_TCG_PTR 0xc0 /* code_gen_ptr */
#define KIT_TCG_HIGHWATER 0xd0 /* code_gen_highwater */
#define KIT_TCG_REGION_N 0xa910 /* region.n */
#define KIT_TCG_REGION_CUR 0xa928 /* region.current, then agg_size_full */
#define KIT_TCG_UC 0xa970 /* uc */
#define KIT_TCG_PROLOGUE_MAX 4096 /* buffer size = configured - prologue */
/* UC_CTL_READ without its signed overflow (2 << 30 in an int). */
#define KIT_CTL_READ(type, nr) \
	((uc_control_type)((2U << 30) | ((unsigned int)(nr) << 26) | (type)))

/* The word at @ctx + @off, or UINT64_MAX if it cannot be read. */
static uint64_t tcg_word(uint64_t ctx, size_t off)
{
	uint64_t v;

	return safe_read((void *)(ctx + off), &v, sizeof(v)) ? UINT64_MAX : v;
}

/* Does the TCGContext at @ctx look as tcg_exec_init left it for an
 * engine @uc opened with a buffer of @size bytes? */
static bool tcg_ctx_matches(uint64_t ctx, uint64_t uc, uint64_t size)
{
	uint64_t buf, bsize, ptr, hw;

	if (!looks_like_ptr(ctx) || tcg_word(ctx, KIT_TCG_UC) != uc)
		return false;
	buf = tcg_word(ctx, KIT_TCG_BUF);
	bsize = tcg_word(ctx, KIT_TCG_BUF_SIZE);
	ptr = tcg_word(ctx, KIT_TCG_PTR);
	hw = tcg_word(ctx, KIT_TCG_HIGHWATER);
	/* buf follows the prologue: any alignment */
	return looks_like_ptr(buf & ~7ULL) && bsize <= size &&
	       bsize + KIT_TCG_PROLOGUE_MAX > size && ptr >= buf && ptr <= hw &&
	       hw < buf + bsize && tcg_word(ctx, KIT_TCG_REGION_N) == 1 &&
	       tcg_word(ctx, KIT_TCG_REGION_CUR) == 0 &&
	       tcg_word(ctx, KIT_TCG_REGION_CUR + 8) == 0;
}

/*
 * Unicorn asks for transparent huge pages on the translation buffer
 * (MADV_HUGEPAGE, as QEMU does for its one buffer), so the prologue's
 * first write made a whole 2 MiB page resident in every engine: 2 MiB of
 * RSS per vCPU for a guest whose code needs a few KiB.  Give back what
 * lies past the code generated so far (nothing lives there yet: blocks
 * and their code are allocated at code_gen_ptr, upwards).  This splits
 * that first huge page; the rest of the buffer keeps the advice, so a
 * guest with much code still gets huge pages where it fills them.
 */
static void kit_trim_tcg_buffer(uint64_t ctx)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t end =
		tcg_word(ctx, KIT_TCG_BUF) + tcg_word(ctx, KIT_TCG_BUF_SIZE);
	uint64_t used = (tcg_word(ctx, KIT_TCG_PTR) + page - 1) & ~(page - 1);

	if (used < end) /* advice only: nothing to do if refused */
		madvise((void *)(uintptr_t)used, end - used, MADV_DONTNEED);
}

static int kit_fix_tcg_region(struct uc_kit *kit)
{
	const char *uc = (const char *)(void *)kit->uc;
	uint32_t size = 0;
	uint64_t ctx = 0;

	if (uc_ctl(kit->uc, KIT_CTL_READ(UC_CTL_TCG_BUFFER_SIZE, 1), &size) ||
	    safe_read(uc + UC_KIT_OFF_UC_TCG_CTX, &ctx, sizeof(ctx)) ||
	    !tcg_ctx_matches(ctx, (uint64_t)(uintptr_t)uc, size)) {
		pr_err("unicorn kit: TCGContext not found at uc+%d as in "
		       "2.1.1\n",
		       UC_KIT_OFF_UC_TCG_CTX);
		return -ENOTSUP;
	}
	/* Cross-check with the library's own arithmetic: for one region
	 * its capacity ends at the high-water mark. */
	if (tcg_code_capacity_aarch64((void *)ctx) !=
	    tcg_word(ctx, KIT_TCG_HIGHWATER) - tcg_word(ctx, KIT_TCG_BUF)) {
		pr_err("unicorn kit: TCG region capacity differs from 2.1.1\n");
		return -ENOTSUP;
	}
	*(uint64_t *)(uintptr_t)(ctx + KIT_TCG_REGION_CUR) = 1;
	kit->tcg_ctx = (void *)ctx;
	kit_trim_tcg_buffer(ctx);
	return 0;
}

int uc_kit_attach(uc_engine *uc, struct uc_kit *kit)
{
	uint32_t irq_req;
	int ret;

	memset(kit, 0, sizeof(*kit));
	kit->uc = uc;
	ret = kit_write_magic(kit);
	if (!ret)
		ret = kit_find_cpu(kit);
	if (!ret)
		ret = kit_find_no_exit(kit);
	if (!ret)
		ret = kit_check_pstate(kit);
	if (ret)
		return ret;
	memcpy(&irq_req, (char *)kit->cs + UC_KIT_OFF_CS_INTERRUPT_REQUEST,
	       sizeof(irq_req));
	if (irq_req != 0) {
		pr_err("unicorn kit: interrupt_request reads %#x, want 0\n",
		       irq_req);
		return -ENOTSUP;
	}
	((uint8_t *)(void *)uc)[kit->off_no_exit] = 1;
	ret = kit_set_el3_el2(kit);
	return ret ? ret : kit_fix_tcg_region(kit);
}

size_t uc_kit_tcg_used(const struct uc_kit *kit)
{
	return tcg_code_size_aarch64(kit->tcg_ctx);
}

void uc_kit_deliver(struct uc_kit *kit)
{
	arm_cpu_do_interrupt_aarch64(kit->cs);
}

void uc_kit_set_line(struct uc_kit *kit, bool irq, bool fiq)
{
	uint32_t *req = (uint32_t *)(void *)((char *)kit->cs +
					     UC_KIT_OFF_CS_INTERRUPT_REQUEST);
	uint32_t v = *req & ~(CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ);

	if (irq)
		v |= CPU_INTERRUPT_HARD;
	if (fiq)
		v |= CPU_INTERRUPT_FIQ;
	*req = v;
}

void uc_kit_update_line(struct uc_kit *kit, bool irq, bool fiq)
{
	uint32_t req;

	memcpy(&req, (char *)kit->cs + UC_KIT_OFF_CS_INTERRUPT_REQUEST,
	       sizeof(req));
	if (irq == !!(req & CPU_INTERRUPT_HARD) &&
	    fiq == !!(req & CPU_INTERRUPT_FIQ))
		return;
	uc_kit_set_line(kit, irq, fiq);
	if ((irq && !(req & CPU_INTERRUPT_HARD)) ||
	    (fiq && !(req & CPU_INTERRUPT_FIQ)))
		cpu_exit(kit->cs);
}

uint64_t uc_kit_pc(const struct uc_kit *kit)
{
	uint64_t pc;

	memcpy(&pc, (const char *)kit->env + UC_KIT_OFF_ENV_PC, sizeof(pc));
	return pc;
}

void uc_kit_set_pc(struct uc_kit *kit, uint64_t pc)
{
	memcpy((char *)kit->env + UC_KIT_OFF_ENV_PC, &pc, sizeof(pc));
}

unsigned int uc_kit_el(const struct uc_kit *kit)
{
	uint32_t pstate;

	memcpy(&pstate, (const char *)kit->env + UC_KIT_OFF_ENV_PSTATE,
	       sizeof(pstate));
	return (pstate >> 2) & 3;
}

void uc_kit_set_xreg(struct uc_kit *kit, uc_arm64_reg rt, uint64_t val)
{
	int n = -1;

	if (rt >= UC_ARM64_REG_X0 && rt <= UC_ARM64_REG_X28)
		n = (int)(rt - UC_ARM64_REG_X0);
	else if (rt == UC_ARM64_REG_X29 || rt == UC_ARM64_REG_X30)
		n = rt == UC_ARM64_REG_X29 ? 29 : 30;
	else if (rt != UC_ARM64_REG_XZR)
		uc_reg_write(kit->uc, rt, &val);
	if (n >= 0)
		memcpy((char *)kit->env + UC_KIT_OFF_ENV_XREGS + 8 * n, &val,
		       sizeof(val));
}

void uc_kit_rebuild_hflags(struct uc_kit *kit)
{
	arm_rebuild_hflags_aarch64(kit->env);
}

/* The MemoryRegion pointers of @kit's engine (uc->mapped_blocks) and
 * their count, 0 if they do not look like pointers. */
static uint32_t kit_blocks(struct uc_kit *kit, uint64_t *blocks)
{
	const char *uc = (const char *)(void *)kit->uc;
	uint32_t count;

	memcpy(blocks, uc + UC_KIT_OFF_UC_MAPPED_BLOCKS, sizeof(*blocks));
	memcpy(&count, uc + UC_KIT_OFF_UC_MAPPED_BLOCKS + 8, sizeof(count));
	return looks_like_ptr(*blocks) && count <= KIT_MAX_BLOCKS ? count : 0;
}

/* Block @i's MemoryRegion in *@mr and the two words at @off in it in
 * @w; false if any of it cannot be read. */
static bool kit_block_words(uint64_t blocks, uint32_t i, size_t off,
			    uint64_t *mr, uint64_t w[2])
{
	return !safe_read((void *)(blocks + i * 8ULL), mr, sizeof(*mr)) &&
	       looks_like_ptr(*mr) &&
	       !safe_read((void *)(*mr + off), w, 2 * sizeof(*w));
}

/* Is @cbs what uc_mmio_map(@read_cb, @opaque, @write_cb, @opaque) made,
 * with ops never touched (the limits still zero)? */
static bool cbs_matches(uint64_t cbs, const void *read_cb, const void *write_cb,
			const void *opaque)
{
	uint64_t w[(KIT_CBS_OPS + KIT_OPS_SIZE) / 8];
	const uint8_t *ops = (const uint8_t *)&w[KIT_CBS_OPS / 8];

	if (!looks_like_ptr(cbs) || safe_read((void *)cbs, w, sizeof(w)))
		return false;
	if (w[0] != (uint64_t)(uintptr_t)read_cb ||
	    w[1] != (uint64_t)(uintptr_t)opaque ||
	    w[2] != (uint64_t)(uintptr_t)write_cb ||
	    w[3] != (uint64_t)(uintptr_t)opaque || !w[4] || !w[5])
		return false;
	for (int i = KIT_OPS_ZERO_FROM; i < KIT_OPS_SIZE; i++)
		if (ops[i])
			return false;
	return true;
}

int uc_kit_mmio_widen(struct uc_kit *kit, const void *read_cb,
		      const void *write_cb, const void *opaque)
{
	uint64_t blocks, mr, ops[2];
	uint32_t count = kit_blocks(kit, &blocks);

	for (uint32_t i = 0; i < count; i++) {
		/* ops[0] = mr->ops, ops[1] = mr->opaque = the mmio_cbs */
		if (!kit_block_words(blocks, i, UC_KIT_OFF_MR_OPS, &mr, ops) ||
		    ops[0] != ops[1] + KIT_CBS_OPS ||
		    !cbs_matches(ops[1], read_cb, write_cb, opaque))
			continue;
		*(uint32_t *)(uintptr_t)(ops[0] + KIT_OPS_IMPL_MAX) = 8;
		return 0;
	}
	pr_err("unicorn kit: MMIO region ops not found as in 2.1.1\n");
	return -ENOTSUP;
}

int uc_kit_ram_readonly(struct uc_kit *kit, uint64_t hva, uint64_t size)
{
	uint64_t blocks, mr, rb[2], w[4];
	uint32_t count = kit_blocks(kit, &blocks);

	for (uint32_t i = 0; i < count; i++) {
		/* mr->ram_block = {mr, host, offset, used_length, ...} */
		if (!kit_block_words(blocks, i, UC_KIT_OFF_MR_RAM_BLOCK, &mr,
				     rb) ||
		    !looks_like_ptr(rb[0]) ||
		    safe_read((void *)rb[0], w, sizeof(w)) || w[0] != mr ||
		    w[1] != hva || w[3] != size)
			continue;
		memory_region_set_readonly_aarch64((void *)mr, true);
		return 0;
	}
	pr_err("unicorn kit: RAM region not found as in 2.1.1\n");
	return -ENOTSUP;
}

bool uc_kit_sync_pc(struct uc_kit *kit)
{
	uintptr_t host_pc;

	memcpy(&host_pc, (char *)kit->cs + UC_KIT_OFF_CS_MEM_IO_PC,
	       sizeof(host_pc));
	/* QEMU checks that host_pc lies in a translated block first. */
	return cpu_restore_state_aarch64(kit->cs, host_pc, false);
}

void uc_kit_tlb_flush(struct uc_kit *kit)
{
	tlb_flush_aarch64(kit->cs);
}

void uc_kit_tlb_flush_page(struct uc_kit *kit, uint64_t va)
{
	tlb_flush_page_aarch64(kit->cs, va);
}

uint64_t uc_kit_va_to_pa(struct uc_kit *kit, uint64_t va)
{
	uint64_t attrs[2] = { 0, 0 }; /* MemTxAttrs: 4 bytes in 2.1.1 */

	return arm_cpu_get_phys_page_attrs_debug_aarch64(kit->cs, va, attrs);
}

bool uc_kit_tb_invalidate(uc_engine *uc, void *hva, size_t len)
{
	uint64_t ram = qemu_ram_addr_from_host_aarch64(uc, hva);

	if (ram == KIT_RAM_ADDR_INVALID)
		return false;
	tb_invalidate_phys_range_aarch64(uc, ram, ram + len);
	return true;
}

/* The K9 check: code run once is cached, changed behind the engine's back
 * it runs stale, and after uc_kit_tb_invalidate the new code runs. */
#define KIT_T_GPA 0x40000000ULL
#define KIT_T_MOV_X0(n) (0xd2800000U | ((uint32_t)(n) << 5))
#define KIT_T_WFI 0xd503207fU

static uint64_t kit_run_x0(uc_engine *uc)
{
	uint64_t x0 = 0;

	uc_reg_write(uc, UC_ARM64_REG_X0, &x0);
	if (uc_emu_start(uc, KIT_T_GPA, 0, 0, 0))
		return UINT64_MAX;
	uc_reg_read(uc, UC_ARM64_REG_X0, &x0);
	return x0;
}

static int kit_test_invalidate(struct uc_kit *kit)
{
	const size_t size = 4096;
	uint32_t *code = aligned_alloc(size, size);
	uc_engine *uc = kit->uc;
	uint64_t got[3];
	int ret = -ENOTSUP;

	if (!code)
		return -ENOMEM;
	memset(code, 0, size);
	code[0] = KIT_T_MOV_X0(1);
	code[1] = KIT_T_WFI;
	if (uc_mem_map_ptr(uc, KIT_T_GPA, size, UC_PROT_ALL, code)) {
		free(code);
		return -ENOMEM;
	}
	got[0] = kit_run_x0(uc);
	code[0] = KIT_T_MOV_X0(2);
	got[1] = kit_run_x0(uc);
	if (uc_kit_va_to_pa(kit, KIT_T_GPA + 4) == KIT_T_GPA + 4 &&
	    uc_kit_tb_invalidate(uc, code, size))
		got[2] = kit_run_x0(uc);
	else
		got[2] = 0;
	if (got[0] == 1 && got[1] == 1 && got[2] == 2)
		ret = 0;
	else
		pr_err("unicorn kit: TB invalidation check: %llu %llu %llu, "
		       "want 1 1 2\n",
		       (unsigned long long)got[0], (unsigned long long)got[1],
		       (unsigned long long)got[2]);
	uc_mem_unmap(uc, KIT_T_GPA, size);
	free(code);
	return ret;
}

int uc_kit_open(uc_engine **out)
{
	return uc_kit_open_buffer(out, UC_KIT_TCG_BUFFER);
}

int uc_kit_open_buffer(uc_engine **out, uint32_t bytes)
{
	uint64_t no_exit = ~0ULL; /* not a 4-byte aligned PC */
	uc_engine *uc;
	int ret = 0;

	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc))
		return -ENOMEM;
	if (uc_ctl_set_cpu_model(uc, UC_CPU_ARM64_MAX) ||
	    uc_ctl_set_tcg_buffer_size(uc, bytes))
		ret = -ENOTSUP;
	/* uc_emu_start's "until" would stop a guest at PC 0 (a boot ROM at
	 * 0 never ran); with exits enabled and only an unreachable one, the
	 * engine stops only when asked (and at WFI). */
	if (!ret &&
	    (uc_ctl_exits_enable(uc) || uc_ctl_set_exits(uc, &no_exit, 1)))
		ret = -ENOTSUP;
	/* Unicorn initialises lazily; a first mapping makes it do so. */
	if (!ret && (uc_mem_map(uc, KIT_INIT_PAGE, 0x1000, UC_PROT_READ) ||
		     uc_mem_unmap(uc, KIT_INIT_PAGE, 0x1000)))
		ret = -ENOMEM;
	if (ret) {
		uc_close(uc);
		return ret;
	}
	*out = uc;
	return 0;
}

/* The self-test's probe: what the MMIO load and the read-only store
 * reported. */
struct kit_probe {
	struct uc_kit *kit;
	unsigned int size;
	bool synced;
	uint64_t pc;
	unsigned int ro_stores;
};

static uint64_t probe_read(uc_engine *uc, uint64_t off, unsigned size,
			   void *opaque)
{
	struct kit_probe *p = opaque;

	p->size = size;
	p->synced = uc_kit_sync_pc(p->kit);
	uc_reg_read(uc, UC_ARM64_REG_PC, &p->pc);
	return 0;
}

static void probe_write(uc_engine *uc, uint64_t off, unsigned size,
			uint64_t val, void *opaque)
{
}

static bool probe_ro_store(uc_engine *uc, uc_mem_type type, uint64_t addr,
			   int size, int64_t value, void *opaque)
{
	((struct kit_probe *)opaque)->ro_stores++;
	return true;
}

#define KIT_PROBE_RAM 0x40000000ULL
#define KIT_PROBE_ROM 0x40001000ULL
#define KIT_PROBE_MMIO 0x09000000ULL

/* The probe's memory: code, a read-only page over @rom, an MMIO page. */
static int kit_probe_map(struct uc_kit *kit, struct kit_probe *p, uint64_t *rom)
{
	/* nop; ldr x0, [x1]; str x1, [x2]; brk #0 */
	static const uint32_t code[] = { 0xd503201f, 0xf9400020, 0xf9000041,
					 0xd4200000 };
	uint64_t x1 = KIT_PROBE_MMIO, x2 = KIT_PROBE_ROM;
	uc_engine *uc = kit->uc;
	uc_hook h;

	if (uc_mem_map(uc, KIT_PROBE_RAM, 0x1000, UC_PROT_ALL) ||
	    uc_mem_write(uc, KIT_PROBE_RAM, code, sizeof(code)) ||
	    uc_mem_map_ptr(uc, KIT_PROBE_ROM, 0x1000,
			   UC_PROT_READ | UC_PROT_EXEC, rom) ||
	    uc_mmio_map(uc, KIT_PROBE_MMIO, 0x1000, probe_read, p, probe_write,
			p) ||
	    uc_hook_add(uc, &h, UC_HOOK_MEM_WRITE_PROT, (void *)probe_ro_store,
			p, 1, 0) ||
	    uc_reg_write(uc, UC_ARM64_REG_X1, &x1) ||
	    uc_reg_write(uc, UC_ARM64_REG_X2, &x2))
		return -ENOMEM;
	if (uc_kit_mmio_widen(kit, (void *)probe_read, (void *)probe_write,
			      p) ||
	    uc_kit_ram_readonly(kit, (uint64_t)(uintptr_t)rom, 0x1000))
		return -ENOTSUP;
	return 0;
}

/*
 * Run the probe: the MMIO callback must see one 8-byte read and restore
 * the PC of the LDR; the store to the read-only page must reach the hook
 * and leave the page as it was.
 */
static int kit_probe(struct uc_kit *kit)
{
	struct kit_probe p = { .kit = kit };
	uint64_t *rom;
	int ret;

	rom = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (rom == MAP_FAILED) {
		uc_close(kit->uc);
		return -ENOMEM;
	}
	ret = kit_probe_map(kit, &p, rom);
	if (!ret)
		uc_emu_start(kit->uc, KIT_PROBE_RAM, 0, 0, 0); /* to the BRK */
	if (!ret && (p.size != 8 || !p.synced || p.pc != KIT_PROBE_RAM + 4)) {
		pr_err("unicorn kit: MMIO probe saw size %u, pc %#llx (%s)\n",
		       p.size, (unsigned long long)p.pc,
		       p.synced ? "restored" : "not restored");
		ret = -ENOTSUP;
	}
	if (!ret && (p.ro_stores != 1 || rom[0] != 0)) {
		pr_err("unicorn kit: read-only probe: %u hook calls, page "
		       "%#llx\n",
		       p.ro_stores, (unsigned long long)rom[0]);
		ret = -ENOTSUP;
	}
	uc_close(kit->uc); /* before the page it maps goes */
	munmap(rom, 0x1000);
	return ret;
}

int uc_kit_self_test(void)
{
	struct uc_kit kit;
	uc_engine *uc;
	int ret;

	/* The smallest buffer: it is mapped and freed per call, and
	 * the checks translate a few blocks. */
	ret = uc_kit_open_buffer(&uc, UC_KIT_TCG_BUFFER_MIN);
	if (ret)
		return ret;
	ret = uc_kit_attach(uc, &kit);
	if (!ret)
		ret = kit_test_invalidate(&kit);
	if (ret) {
		uc_close(uc);
		return ret;
	}
	return kit_probe(&kit); /* closes the engine */
}

int cpu_self_test(void)
{
	return uc_kit_self_test();
}

/* ASan under GCC (__SANITIZE_ADDRESS__) or clang (the fuzz build). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KIT_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(KIT_ASAN)
/*
 * Unicorn 2.1.1's uc_init_engine allocates a GArray that uc_close never
 * frees (32 bytes per engine).  Not ours to fix; keep LeakSanitizer quiet
 * about it.  Unicorn has no frame pointers, so the fast unwinder's stack
 * ends at Unicorn's own g_array_new (its glib copy; vkvm has no glib).
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:uc_init_engine\nleak:g_array_new\n";
}
#endif
