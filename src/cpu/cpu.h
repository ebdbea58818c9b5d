/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpu.h: the vCPU engine (KVM_RUN back end).  Only src/cpu includes
 * unicorn.h; the API layer sees these calls.
 */
#ifndef VKVM_CPU_CPU_H
#define VKVM_CPU_CPU_H

#include <stddef.h>

struct vm;
struct vcpu;

/*
 * cpu_vcpu_run - KVM_RUN for @vcpu.  Caller holds vcpu->mutex and has
 * checked the API preconditions.  Runs the guest until an exit; fills
 * vcpu->run.  Returns 0 (exit_reason set) or -errno (-EINTR with
 * KVM_EXIT_INTR for a kick or immediate_exit).
 */
int cpu_vcpu_run(struct vcpu *vcpu);

/* cpu_vcpu_kick - make @vcpu leave KVM_RUN soon; any thread. */
void cpu_vcpu_kick(struct vcpu *vcpu);

/*
 * cpu_self_test - check that the linked Unicorn is the build the engine's
 * internal kit was made for (locates and verifies every internal it
 * uses, on a throw-away engine).  KVM_CREATE_VM runs it.  Returns 0, or
 * -ENOTSUP (one line on stderr says what differs), -ENOMEM.
 */
int cpu_self_test(void);

/*
 * cpu_self_test_skew - test seam: added to the uc->cpu offset the kit
 * expects.  The library's (weak) definition returns 0; a statically
 * linked test may define its own to make every attach, and so the
 * self-test, see a layout that differs from 2.1.1.
 */
size_t cpu_self_test_skew(void);

/*
 * cpu_engine_barrier - return once no vCPU of @vm executes guest code
 * with a memory layout older than the slot list as it is now (every
 * vCPU re-reads it before it runs again): stops the running vCPU and
 * waits for the scheduler's next pass.  No locks held; not from the
 * VM's runner thread (a vCPU's own hooks).
 */
void cpu_engine_barrier(struct vm *vm);

/* cpu_engine_destroy - free the VM's engine (NULL engine allowed). */
void cpu_engine_destroy(struct vm *vm);

#endif /* VKVM_CPU_CPU_H */
