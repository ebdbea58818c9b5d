/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpu_dev.h: the in-library devices a guest reaches through the engine:
 * the vGIC's MMIO frames, its GICv3 CPU interface (ICC_*) and the
 * interrupt lines it drives.
 */
#ifndef VKVM_CPU_CPU_DEV_H
#define VKVM_CPU_CPU_DEV_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_vcpu;
struct vm;

/*
 * cpu_dev_access - a guest access at @gpa that is not RAM.  Returns true
 * if an in-library device served it (reads store into *@val), false if
 * it must leave KVM_RUN as KVM_EXIT_MMIO.
 */
bool cpu_dev_access(struct cpu_vcpu *cv, uint64_t gpa, unsigned int len,
		    uint64_t *val, bool is_write);

/*
 * cpu_dev_icc - a GICv3 CPU interface register (@enc as in gic.h) that
 * the guest accessed: true if served, false if there is no GICv3 (the
 * access stays UNDEFINED).
 */
bool cpu_dev_icc(struct cpu_vcpu *cv, uint16_t enc, uint64_t *val,
		 bool is_write);

/* An in-library device frame the engine maps as a region of its own. */
struct cpu_dev_frame {
	uint64_t base;
	uint64_t size;
	uint32_t id;
};

#define CPU_DEV_MAX_FRAMES 8

/*
 * cpu_dev_frames - the device frames of @vm (once its vGIC is ready;
 * none before), sorted by base, not overlapping, at most @max of them.
 * Returns how many.  A frame left out still works through
 * cpu_dev_access.
 */
unsigned int cpu_dev_frames(struct vm *vm, struct cpu_dev_frame *out,
			    unsigned int max);

/*
 * cpu_dev_frame_access - cpu_dev_access at offset @off of the frame
 * cpu_dev_frames() named @id: true if served, false if it must leave
 * KVM_RUN as KVM_EXIT_MMIO (nobody there).
 */
bool cpu_dev_frame_access(struct cpu_vcpu *cv, uint32_t id, uint64_t off,
			  unsigned int len, uint64_t *val, bool is_write);

/* cpu_dev_timer_level - drive timer @t's (0 virtual, 1 physical) PPI. */
void cpu_dev_timer_level(struct cpu_vcpu *cv, int t, bool level);

/* cpu_dev_vm_init - at the VM's first run: the timer PPIs belong to the
 * library (user injections of them are ignored, spec 5.3). */
void cpu_dev_vm_init(struct vm *vm);

#endif /* VKVM_CPU_CPU_DEV_H */
