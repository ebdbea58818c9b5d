/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gic.h: the vGIC models (GICv2, GICv3) as seen by the rest of libvkvm.
 *
 * The models know nothing of ioctls, attr bit layouts or Unicorn.  The API
 * layer (src/api/vgic_*.c) decodes device attributes and calls these
 * functions; the cpu engine (src/cpu) routes guest MMIO and ICC_* system
 * register accesses here.  Both go through the same per-frame register
 * tables, distinguished only by enum gic_who.
 *
 * Locking: none inside.  Every call is made with the VM's gic_lock held;
 * the set_line callback runs under that lock too and must not take it.
 *
 * Errors: 0 or -errno, exactly the errno Linux gives for the operation
 * (the spec sections are named at each function).
 *
 * vCPUs are named by their index (creation order, 0..n-1); the model keeps
 * each one's KVM id and MPIDR to answer GICR_TYPER and route by affinity.
 */
#ifndef VKVM_GIC_GIC_H
#define VKVM_GIC_GIC_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_ADDR_UNDEF UINT64_MAX
#define GIC_V2_MAX_CPUS 8
#define GIC_V3_MAX_CPUS 512
#define GIC_NR_PRIVATE_IRQS 32
#define GIC_MAX_NR_IRQS 992 /* NR_IRQS upper bound (spec 3.6, D1) */
#define GIC_DEFAULT_NR_IRQS 256
#define GIC_SPURIOUS 1023

/* Frame sizes (spec 3.4). */
#define GIC_V2_DIST_SIZE 0x1000ULL
#define GIC_V2_CPU_SIZE 0x2000ULL
#define GIC_V3_DIST_SIZE 0x10000ULL
#define GIC_V3_REDIST_SIZE 0x20000ULL

enum gic_model {
	GIC_MODEL_V2 = 2,
	GIC_MODEL_V3 = 3,
};

/* Base addresses that are set one by one (spec 3.4). */
enum gic_frame {
	GIC_FRAME_V2_DIST,
	GIC_FRAME_V2_CPU,
	GIC_FRAME_V3_DIST,
};

/* Who makes a register access: the guest (MMIO/sysreg) or userspace
 * (device attributes, with the user semantics of spec 7). */
enum gic_who {
	GIC_GUEST,
	GIC_USER,
};

struct gic;

struct gic_ops {
	/*
	 * set_line - drive vCPU @cpu's IRQ and FIQ inputs.  Called after any
	 * state change whose outcome for that vCPU changed.
	 */
	void (*set_line)(void *opaque, uint32_t cpu, bool irq, bool fiq);
};

/* --- life cycle (spec 3.2, 3.3, 3.5) ------------------------------------ */

/*
 * gic_create - a new vGIC of @model in the "created" state: all bases
 * undefined, no redistributor regions, nr_irqs not set, not initialized.
 * Returns NULL on allocation failure.
 */
struct gic *gic_create(enum gic_model model, const struct gic_ops *ops,
		       void *opaque);

/* gic_destroy - free @gic (NULL allowed). */
void gic_destroy(struct gic *gic);

enum gic_model gic_get_model(const struct gic *gic);

/*
 * gic_add_vcpu - tell the model about vCPU number @cpu (the next index,
 * in creation order) with KVM id @id and MPIDR_EL1 value @mpidr.  On a
 * GICv3 this assigns it a redistributor from the first region with a free
 * slot (spec 3.4.4); -EINVAL if that frame fails the base check (the vCPU
 * is then not added).  -E2BIG past the model's vCPU limit, -EBUSY once
 * initialized, -EINVAL if @cpu is not the next index, -ENOMEM (checked in
 * the order EBUSY, E2BIG, EINVAL).
 */
int gic_add_vcpu(struct gic *gic, uint32_t cpu, uint32_t id, uint64_t mpidr,
		 unsigned int ipa_bits);

/* gic_nr_vcpus - vCPUs added so far. */
uint32_t gic_nr_vcpus(const struct gic *gic);

/*
 * gic_set_nr_irqs - NR_IRQS SET (spec 3.6): @nr total INTIDs, 64..992 and
 * a multiple of 32 (-EINVAL); -EBUSY if nr_spis is already non-zero.
 */
int gic_set_nr_irqs(struct gic *gic, uint32_t nr);

/* gic_get_nr_irqs - nr_spis + 32 (32 before NR_IRQS/init, 256 default). */
uint32_t gic_get_nr_irqs(const struct gic *gic);

/*
 * gic_init - vgic_init (spec 3.3): 0 if already initialized; default 224
 * SPIs if none set; reset every interrupt to its init state; -ENOMEM.
 */
int gic_init(struct gic *gic);

bool gic_initialized(const struct gic *gic);

/*
 * gic_map_resources - the first KVM_RUN (spec 3.5), in Linux's order:
 * v2: -ENXIO base undefined, -EINVAL overlap, implicit init;
 * v3: -ENXIO a vCPU without redistributor, -ENXIO no distributor,
 *     -EINVAL base check, -EBUSY not initialized.
 * Then the model is ready: guest MMIO is served from the set bases.
 */
int gic_map_resources(struct gic *gic, unsigned int ipa_bits);

bool gic_ready(const struct gic *gic);

/* --- addresses (spec 2.2, 3.4) ------------------------------------------ */

/*
 * gic_set_base - set @frame's base.  -ENXIO if @frame does not belong to
 * the model; then vgic_check_iorange: -EEXIST already set, -EINVAL
 * misaligned (4K v2, 64K v3) or wrapping, -E2BIG beyond 2^@ipa_bits.
 */
int gic_set_base(struct gic *gic, enum gic_frame frame, uint64_t addr,
		 unsigned int ipa_bits);

/* gic_get_base - @frame's base, GIC_ADDR_UNDEF if unset; -ENXIO wrong
 * model (returned through the int, value through @addr). */
int gic_get_base(const struct gic *gic, enum gic_frame frame, uint64_t *addr);

/*
 * gic_v3_add_redist_region - GICv3 only (-ENXIO otherwise).  @count 0 is
 * the legacy single region (attr 3), else a REDIST_REGION (attr 5) with
 * @index and @flags.  Checks and errors exactly as spec 3.4.2/3.4.3.
 * An attr 5 value with count 0 is the caller's -EINVAL (step 1: it cannot
 * be told from the legacy call here).  -ENOMEM.
 */
int gic_v3_add_redist_region(struct gic *gic, uint32_t index, uint64_t base,
			     uint32_t count, uint32_t flags,
			     unsigned int ipa_bits);

/* gic_v3_get_redist_region - region @index: -ENOENT if none; legacy
 * region (count 0) for attr 3 reads.  -ENXIO if not a GICv3. */
int gic_v3_get_redist_region(const struct gic *gic, uint32_t index,
			     uint64_t *base, uint32_t *count);

/* gic_v3_legacy_redist_base - the attr 3 base or GIC_ADDR_UNDEF (as
 * Linux: the first region's base, legacy or not). */
uint64_t gic_v3_legacy_redist_base(const struct gic *gic);

/* --- register access (spec 7; guest: IHI 0048 / IHI 0069) --------------- */

/*
 * gic_dist_access - distributor register at @offset, @len bytes (1, 2, 4
 * or 8 for the guest; 4 for userspace), on behalf of vCPU @cpu.  Reads
 * store into *@val.  Total: offsets with no register read 0 and ignore
 * writes (return 0).  Returns -EINVAL only for the user writes the spec
 * lists (GICD_IIDR, GICD_TYPER2) and -EBUSY for TYPER2 after init.
 * The GICv3 register state of SPIs exists from gic_init() on; before it
 * only GICD_CTLR/TYPER/IIDR/TYPER2 and private state answer.  State
 * checks (EBUSY before init, implicit GICv2 init) are the caller's.
 * 64-bit registers (IROUTER, GICR_TYPER, *BASER) take 8 bytes or either
 * 4-byte half.  An unknown @cpu sees no private interrupts.
 */
int gic_dist_access(struct gic *gic, uint32_t cpu, uint32_t offset,
		    unsigned int len, uint64_t *val, bool is_write,
		    enum gic_who who);

/* gic_cpuif_access - GICv2 CPU interface (GICC_*), same rules; -ENXIO on
 * a GICv3, -EINVAL if @cpu is not a vCPU index.  Offsets from 0x1000 (DIR)
 * are guest-only. */
int gic_cpuif_access(struct gic *gic, uint32_t cpu, uint32_t offset,
		     unsigned int len, uint64_t *val, bool is_write,
		     enum gic_who who);

/* gic_redist_access - GICv3 redistributor of vCPU @cpu, @offset inside
 * its 128 KiB frame (SGI_base at 0x10000), same rules; -ENXIO on a GICv2,
 * -EINVAL if @cpu is not a vCPU index. */
int gic_redist_access(struct gic *gic, uint32_t cpu, uint32_t offset,
		      unsigned int len, uint64_t *val, bool is_write,
		      enum gic_who who);

/*
 * gic_icc_access - GICv3 CPU interface system register of vCPU @cpu;
 * @enc is op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2.  -ENOENT unknown
 * register (user, and guest: the engine makes it UNDEF), -EINVAL bad user
 * value or APR index (spec 7.5) or @cpu not a vCPU index, -ENXIO on a
 * GICv2.  The guest path also serves IAR/EOIR/DIR/HPPIR/RPR/SGI*R; guest
 * accesses to AP[01]R1-3 are RAZ/WI.  64-bit @val for every register.
 */
int gic_icc_access(struct gic *gic, uint32_t cpu, uint16_t enc, uint64_t *val,
		   bool is_write, enum gic_who who);

/* HAS_ATTR helpers: 0 if a register lives at @offset/@enc, else -ENXIO
 * (spec 3.8.1, 3.8.2: per-IRQ registers only below nr_irqs). */
int gic_dist_has(const struct gic *gic, uint32_t offset);
int gic_cpuif_has(const struct gic *gic, uint32_t offset);
int gic_redist_has(const struct gic *gic, uint32_t offset);
int gic_icc_has(const struct gic *gic, uint16_t enc);

/*
 * gic_line_level_get/set - LEVEL_INFO (spec 3.8.2, 7.6): 32 INTIDs from
 * @base (a multiple of 32, -EINVAL otherwise) for vCPU @cpu.
 */
int gic_line_level_get(struct gic *gic, uint32_t cpu, uint32_t base,
		       uint32_t *bitmap);
int gic_line_level_set(struct gic *gic, uint32_t cpu, uint32_t base,
		       uint32_t bitmap);

/* --- interrupt inputs (spec 5.3) ---------------------------------------- */

/*
 * gic_inject - drive INTID @intid's input: an SPI (@cpu ignored) or a PPI
 * of vCPU @cpu.  Level-sensitive: sets the line; edge: a rising @level
 * latches pending.  -EINVAL if @intid is out of range for the kind.
 * Interrupts owned by an in-library device (set with gic_set_owned) ignore
 * user injection and return 0.
 */
int gic_inject(struct gic *gic, uint32_t cpu, uint32_t intid, bool level,
	       enum gic_who who);

/* gic_set_owned - mark PPI @intid as driven by an in-library device (the
 * arch timer): later GIC_USER injections of it are ignored. */
void gic_set_owned(struct gic *gic, uint32_t intid);

/* --- guest side (used by the cpu engine) --------------------------------- */

/*
 * gic_mmio - a guest access at physical address @gpa.  Returns 1 if it
 * hit one of the model's frames (and was served), 0 if not (the caller
 * tries other devices).  Only meaningful once gic_ready().
 */
int gic_mmio(struct gic *gic, uint32_t cpu, uint64_t gpa, unsigned int len,
	     uint64_t *val, bool is_write);

/* A guest-visible frame: [base, base + size), served by gic_mmio_frame. */
struct gic_frame_map {
	uint64_t base;
	uint64_t size;
	uint32_t id;
};

/*
 * gic_mmio_frames - once gic_ready(): the frames the guest sees (the
 * distributor, the GICv2 CPU interface, each GICv3 redistributor
 * region), at most @max of them into @out.  Returns how many; 0 before
 * gic_ready().  They do not change after that.
 */
unsigned int gic_mmio_frames(const struct gic *gic, struct gic_frame_map *out,
			     unsigned int max);

struct gic_reg;

/*
 * gic_mmio_frame_reg - without the lock (the answer depends only on the
 * model's tables, fixed at gic_create): the register at offset @off of
 * frame @id (a gic_frame_map id) into *@reg, NULL if none.  Returns true
 * when that finishes the access: no register there, in the distributor
 * or the GICv2 CPU interface, is RAZ/WI.
 */
bool gic_mmio_frame_reg(const struct gic *gic, uint32_t id, uint64_t off,
			const struct gic_reg **reg);

/*
 * gic_mmio_frame - gic_mmio for an access at offset @off of frame @id,
 * to the register gic_mmio_frame_reg found (@reg), with no search for
 * either.  Returns 1 if served, 0 if nobody is there (a redistributor
 * slot with no vCPU, an unknown @id or @cpu).
 */
int gic_mmio_frame(struct gic *gic, uint32_t id, const struct gic_reg *reg,
		   uint32_t cpu, uint64_t off, unsigned int len, uint64_t *val,
		   bool is_write);

/* gic_cpu_pending - vCPU @cpu has an interrupt pending that would wake a
 * WFI (enabled, group enabled, priority above the mask and the running
 * priority: exactly when its IRQ or FIQ line is up; PSTATE.I is not
 * considered).  false for an unknown @cpu. */
bool gic_cpu_pending(struct gic *gic, uint32_t cpu);

#endif /* VKVM_GIC_GIC_H */
