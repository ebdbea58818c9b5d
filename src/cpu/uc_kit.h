/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uc_kit.h: the few Unicorn 2.1.1 internals the engine needs (spec
 * unicorn-engine.md K1-K5), located and verified per engine, never
 * assumed.  uc_kit.c is the only file that knows internal offsets.
 */
#ifndef VKVM_CPU_UC_KIT_H
#define VKVM_CPU_UC_KIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

/* Expected layout of Debian's libunicorn 2.1.1-2+b2 (engine spec, top). */
#define UC_KIT_OFF_UC_CPU 416
#define UC_KIT_OFF_NO_EXIT_REQUEST 2010
#define UC_KIT_OFF_INIT_DONE 2011
#define UC_KIT_OFF_CS_INTERRUPT_REQUEST 28
#define UC_KIT_OFF_CS_ENV_PTR 296
#define UC_KIT_OFF_ENV_FROM_CS 41808
#define UC_KIT_OFF_ENV_XREGS 64
#define UC_KIT_OFF_ENV_PC 320
#define UC_KIT_OFF_ENV_PSTATE 328 /* u32, without NZCV and DAIF */
#define UC_KIT_OFF_ENV_HCR_EL2 952
#define UC_KIT_OFF_ENV_SCR_EL3 960
#define UC_KIT_OFF_UC_MAPPED_BLOCKS 1936 /* MemoryRegion **, then a u32 count */
#define UC_KIT_OFF_MR_RAM_BLOCK 8 /* MemoryRegion.ram_block */
#define UC_KIT_OFF_MR_OPS 16 /* MemoryRegion.ops, then .opaque */
#define UC_KIT_OFF_CS_MEM_IO_PC 33144 /* CPUState.mem_io_pc (host return) */
#define UC_KIT_OFF_UC_TCG_CTX 744 /* uc->tcg_ctx (TCGContext *) */

/* What the kit found in one engine. */
struct uc_kit {
	uc_engine *uc;
	void *cs; /* QEMU CPUState (ARMCPU) */
	void *env; /* CPUARMState */
	size_t off_cpu; /* where cs was found in uc_struct */
	size_t off_no_exit; /* where no_exit_request was found */
	void *tcg_ctx; /* QEMU TCGContext of this engine (K10) */
	uint64_t nonce; /* makes this attach's magic register values unique */
};

/* uc_kit_open's translation buffer (the engine sizes its own, see
 * ENGINE_TCG_BOOT), and the smallest one Unicorn takes (QEMU's
 * MIN_CODE_GEN_BUFFER_SIZE; smaller requests get this). */
#define UC_KIT_TCG_BUFFER (32U << 20)
#define UC_KIT_TCG_BUFFER_MIN (1U << 20)

/*
 * uc_kit_open - a new ARM64 engine of model "max" with a translation
 * buffer of UC_KIT_TCG_BUFFER bytes, initialised (Unicorn does that at
 * the first mapping).  Returns 0, -ENOMEM or -ENOTSUP.
 */
int uc_kit_open(uc_engine **uc);

/* uc_kit_open_buffer - uc_kit_open with a translation buffer of @bytes
 * (at least UC_KIT_TCG_BUFFER_MIN).  Same returns. */
int uc_kit_open_buffer(uc_engine **uc, uint32_t bytes);

/*
 * uc_kit_attach - K1/K2/K3 for a fresh engine @uc (ARM64, already given a
 * CPU model and at least one mapping so that Unicorn's lazy init has
 * run): locate cs/env by magic registers and no_exit_request by its
 * neighbours, check both against the expected 2.1.1 offsets, set
 * no_exit_request, set SCR_EL3/HCR_EL2 for an AArch64 EL1, and (K10)
 * find uc->tcg_ctx, check its code buffer against the size the engine
 * was opened with and mark its one region as taken, so that a full
 * buffer is flushed by QEMU instead of being reused under live blocks.
 * Clobbers X0-X3 and PC.  Returns 0, or -ENOTSUP (with a message saying
 * what did not match) when this is not the Unicorn build vkvm expects.
 */
int uc_kit_attach(uc_engine *uc, struct uc_kit *kit);

/* uc_kit_tcg_used - bytes of @kit's translation buffer in use (K10);
 * the engine's own thread, while it does not run. */
size_t uc_kit_tcg_used(const struct uc_kit *kit);

/*
 * uc_kit_deliver - K4: let QEMU take the pending synchronous exception
 * architecturally (ESR, FAR, ELR, SPSR, SP, PSTATE, VBAR).  Only from a
 * UC_HOOK_INTR callback of @kit's engine.
 */
void uc_kit_deliver(struct uc_kit *kit);

/*
 * uc_kit_set_irq - K5: raise or lower the IRQ (@fiq false) or FIQ input.
 * Only on the engine's own thread while it is not inside uc_emu_start, or
 * from one of its hooks.
 */
void uc_kit_set_line(struct uc_kit *kit, bool irq, bool fiq);

/* uc_kit_rebuild_hflags - recompute QEMU's cached translation flags after
 * a PSTATE write (D1); own thread, not inside uc_emu_start. */
void uc_kit_rebuild_hflags(struct uc_kit *kit);

/*
 * uc_kit_mmio_widen - let the MMIO region mapped with uc_mmio_map(...,
 * @read_cb, @opaque, @write_cb, @opaque) take accesses of up to 8 bytes
 * whole: Unicorn's own ops leave QEMU's implementation limit at its
 * default of 4, so an 8-byte access reached the callbacks as two halves.
 * Returns 0, or -ENOTSUP if the region or its ops do not look as in
 * 2.1.1-2+b2 (nothing is written then).
 */
int uc_kit_mmio_widen(struct uc_kit *kit, const void *read_cb,
		      const void *write_cb, const void *opaque);

/*
 * uc_kit_ram_readonly - make the RAM region mapped with uc_mem_map_ptr
 * over @hva (@size bytes) read-only for QEMU too: a store to it still
 * raises UC_HOOK_MEM_WRITE_PROT, and when the hook says "handled" QEMU
 * discards the store instead of writing @hva.  Returns 0, or -ENOTSUP if
 * no region looks as in 2.1.1-2+b2 (RAMBlock: mr, host, offset, length).
 */
int uc_kit_ram_readonly(struct uc_kit *kit, uint64_t hva, uint64_t size);

/*
 * uc_kit_sync_pc - from inside an MMIO callback (uc_mmio_map) of @kit's
 * engine: set the guest PC to the instruction making the access (TCG
 * keeps only the translation block's start in env while a block runs).
 * Returns true if the PC was restored.
 */
bool uc_kit_sync_pc(struct uc_kit *kit);

/*
 * uc_kit_pc/uc_kit_set_pc - the guest PC in env, without uc_reg_read/
 * uc_reg_write.  Reading is right wherever Unicorn keeps env->pc exact
 * (MRS/MSR/SYS hooks, UC_HOOK_INTR).  Setting is only for a UC_HOOK_INTR
 * callback, where the engine resumes from env->pc (uc_reg_write of the PC
 * would also stop and restart the CPU loop).
 */
uint64_t uc_kit_pc(const struct uc_kit *kit);
void uc_kit_set_pc(struct uc_kit *kit, uint64_t pc);

/* uc_kit_el - the current exception level (PSTATE.EL) from env
 * (uc_kit_attach checks that offset, and leaves PSTATE at EL1h). */
unsigned int uc_kit_el(const struct uc_kit *kit);

/*
 * uc_kit_set_xreg - write general register @rt (UC_ARM64_REG_X0..X30;
 * XZR discards) in env, from a hook of @kit's engine; any other @rt goes
 * through uc_reg_write.
 */
void uc_kit_set_xreg(struct uc_kit *kit, uc_arm64_reg rt, uint64_t val);

/*
 * uc_kit_update_line - uc_kit_set_line from a hook of @kit's engine while
 * it runs (nothing to do if the lines are already so): a line that goes
 * up also ends the current chain of translated blocks (QEMU's
 * cpu_interrupt does the same), so the interrupt is taken at the next
 * block without leaving uc_emu_start.
 */
void uc_kit_update_line(struct uc_kit *kit, bool irq, bool fiq);

/* uc_kit_tlb_flush - flush the engine's TLB (broadcast TLBI), own thread. */
void uc_kit_tlb_flush(struct uc_kit *kit);

/* uc_kit_tlb_flush_page - drop the engine's TLB entries of the page at
 * guest virtual address @va in every translation regime (QEMU's
 * tlb_flush_page; a large page drops its whole regime); own thread, not
 * inside uc_emu_start. */
void uc_kit_tlb_flush_page(struct uc_kit *kit, uint64_t va);

/*
 * uc_kit_va_to_pa - the guest physical address virtual address @va
 * translates to in the current regime of @kit's vCPU (QEMU's debug walk:
 * no fault, no TLB fill; callable from a hook).  UINT64_MAX if @va does
 * not translate.
 */
uint64_t uc_kit_va_to_pa(struct uc_kit *kit, uint64_t va);

/*
 * uc_kit_tb_invalidate - drop the translations @uc made of the guest RAM
 * at host address [@hva, @hva + @len) (K9: another engine wrote code
 * there and the guest said so with IC IVAU).  @uc's own thread, while it
 * does not run.  Returns false if @hva is not RAM mapped into @uc.
 */
bool uc_kit_tb_invalidate(uc_engine *uc, void *hva, size_t len);

/*
 * uc_kit_self_test - open a throw-away engine, attach the kit to it, check
 * K9 (run, change and invalidate code), run one 8-byte MMIO load through
 * a widened region (uc_kit_mmio_widen, uc_kit_sync_pc) and one store to a
 * read-only page (uc_kit_ram_readonly): 0, or the errno uc_kit_attach
 * gave, -ENOTSUP if the K9 check or the probe saw the wrong result (size,
 * PC, a store that landed), -ENOMEM if the engine could not be made.
 */
int uc_kit_self_test(void);

/*
 * uc_kit_sysreg_write/read - a system register through
 * UC_ARM64_REG_CP_REG (op0, op1, CRn, CRm, op2).  Return the uc_err.
 */
uc_err uc_kit_sysreg_write(uc_engine *uc, unsigned op0, unsigned op1,
			   unsigned crn, unsigned crm, unsigned op2,
			   uint64_t val);
uc_err uc_kit_sysreg_read(uc_engine *uc, unsigned op0, unsigned op1,
			  unsigned crn, unsigned crm, unsigned op2,
			  uint64_t *val);

#endif /* VKVM_CPU_UC_KIT_H */
