/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine.h: the vCPU engine's internal objects, shared by the files of
 * src/cpu (engine.c: the VM's runner thread, its fibers and scheduler, the
 * run loop; fiber.c: the context switch; mem.c: guest physical map and
 * MMIO; exc.c: exceptions and system instructions; psci.c: SMCCC and
 * PSCI; timer.c: the generic timer).  See docs/design.md "vCPU execution".
 *
 * Execution: each VM has one runner thread.  Every vCPU that has entered
 * KVM_RUN once owns a uc_engine and a fiber (a user-level context with a
 * stack of its own) that the runner thread switches to, so only one vCPU
 * executes guest code at any instant (engine spec 2.6, D9): exclusives
 * and atomics are exact across vCPUs by construction.  The thread calling
 * KVM_RUN makes its vCPU's fiber runnable and waits for the exit; a guest
 * access that needs the VMM (an MMIO read) suspends the fiber inside
 * Unicorn's callback until the next KVM_RUN, while the other fibers run.
 * A fiber gives the thread back (a switch to the scheduler) when its
 * quantum is over and another fiber waits, at WFI, powered off, and at an
 * exit; the scheduler runs woken fibers first, then the others in turn.
 *
 * Unicorn 2.1.1 keeps its state per uc_engine (current CPU, TCG context,
 * TLB, code buffer hang off struct uc_struct); its only thread-local
 * variable is thread_rand in qemu/util/guest-random.c (a PRNG used in
 * deterministic mode only, which we never enable), so engines can take
 * turns on one thread without saving anything (checked in the source and
 * with `readelf -s libunicorn.a`: one TLS symbol).
 *
 * Locking: eng->lock (innermost but for vm->gic_lock, which may be taken
 * under it, and eng->sched_lock) protects every cpu_vcpu's handoff state,
 * the fiber list and the PSCI power state; no lock is held across a fiber
 * switch.  Fields marked "runner" are touched by the runner thread only.
 * vm->slots_lock is taken alone.
 */
#ifndef VKVM_CPU_ENGINE_H
#define VKVM_CPU_ENGINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

#include "api/vm.h"
#include "cpu/fiber.h"
#include "cpu/uc_kit.h"

struct dirty_log;

#define ENGINE_QUANTUM_NS 1000000LL /* time slice of one vCPU (1 ms) */
#define ENGINE_TICK_NS 100000LL /* ticker period; woken vCPUs wait <= 1 */
/*
 * Translation buffer per vCPU engine (Unicorn's default is 1 GiB).  A
 * full one is flushed (K10) and retranslated, so a small buffer costs
 * time only when the working set is larger.  Measured, Linux to its
 * shell: 1 vCPU generates about 33 MiB of host code (16 MiB buffers made
 * it 1.4x slower in CPU time, 32 MiB as fast as 64); with 4 vCPUs, vCPU
 * 0 does the boot and the others run what is left: 16 MiB each cost no
 * time measurably and took RSS from 356 to 159 MiB (64 MiB each).
 */
#define ENGINE_TCG_BOOT (32U << 20) /* vCPU 0's buffer */
#define ENGINE_TCG_OTHER (16U << 20) /* the other vCPUs' */
#define ENGINE_MAX_REGIONS 64
#define ENGINE_QUEUE_PAGES 64 /* pages queued by others, then a full flush */
#define ENGINE_PAGE_SIZE \
	4096 /* TB invalidation granule (guest page) */ /* guest physical regions mapped at once */

/* Where a vCPU's run is, seen by the KVM_RUN caller. */
enum cv_state {
	CV_IDLE, /* outside KVM_RUN (no caller) */
	CV_RUN_REQ, /* a caller handed a run over, the fiber has not seen it */
	CV_RUNNING, /* the fiber is running the guest for the caller */
	CV_EXITED, /* the run ended; run_ret holds KVM_RUN's result */
};

/* What a vCPU's fiber is doing, for the scheduler (runner). */
enum cv_sched {
	CV_S_WAIT_RUN, /* waits for a KVM_RUN (state CV_RUN_REQ) */
	CV_S_WAIT_WAKE, /* WFI or powered off: waits for wake_seq to move */
	CV_S_READY, /* runnable, in line */
	CV_S_RUNNING, /* has the runner thread */
	CV_S_DONE, /* its function returned (VM teardown) */
};

/* One mapped piece of the guest physical space. */
struct cv_region {
	struct cpu_vcpu *cv;
	uint64_t gpa;
	uint64_t size;
	uint64_t hva; /* RAM: the slot's memory; 0 for MMIO */
	uint32_t flags; /* memslot flags (KVM_MEM_READONLY) */
	bool ram;
	bool dev; /* an in-library device frame (cpu_dev.c) */
	uint32_t dev_id; /* the frame, as cpu_dev_frames() named it */
	struct dirty_log *dirty; /* logged slot: a reference (dirty.c) */
	uc_hook dirty_hook;
};

/*
 * Maintenance other vCPUs' broadcast instructions left for this engine
 * (eng->lock): pages to drop, or everything once the queue overflowed.
 */
enum cv_queue {
	CV_QUEUE_TB, /* translations: IC IVAU (host address of the RAM page) */
	CV_QUEUE_TLB, /* TLB entries: TLBI VA*IS (guest VA) */
	CV_NR_QUEUES,
};

struct cv_page_queue {
	bool all; /* drop everything (page[] is then empty) */
	unsigned int n;
	uint64_t page[ENGINE_QUEUE_PAGES];
};

struct cpu_vcpu {
	struct cpu_engine *eng;
	struct vcpu *vcpu;
	uint32_t index;
	uc_engine *uc;
	struct uc_kit kit;
	struct fiber fiber;
	bool fiber_made; /* fiber created and known to the scheduler */

	/* Handoff with the KVM_RUN caller (eng->lock). */
	pthread_cond_t cond;
	enum cv_state state;
	int run_ret;
	int exit_efd; /* eventfd: "state is CV_EXITED", for the caller's ppoll */

	/* Events that make a running guest stop at the next TB (any thread). */
	atomic_bool uc_ready; /* uc is open: uc_emu_stop may be called */
	atomic_bool stop_req; /* something for the run loop to look at */
	atomic_bool sig_stop; /* a signal reached the KVM_RUN caller: EINTR */
	atomic_llong deadline_ns; /* next timer expiry (host ns) */
	atomic_ullong wake_seq; /* bumped by every notification */
	atomic_int blocked; /* the cv_sched wait it is in, 0 if none */
	struct cv_page_queue queue[CV_NR_QUEUES]; /* others' maintenance */

	/* Scheduling (runner). */
	enum cv_sched sched;
	bool urgent; /* READY: in the woken vCPUs' line */
	uint64_t ticket; /* READY: place in line */
	uint64_t wait_seq; /* WAIT_WAKE: wake_seq when it went to sleep */
	int64_t wait_deadline; /* WAIT_WAKE: wake up then anyway (host ns) */

	/* Run loop state (runner). */
	bool in_mmio; /* parked inside an MMIO read/write exit */
	bool want_wfi; /* PSCI CPU_SUSPEND: sleep as for WFI */
	int exit_ret; /* result of a hook-decided exit, 1 = none */
	struct cv_region regions[ENGINE_MAX_REGIONS];
	unsigned int nr_regions;
	unsigned int nr_dirty; /* regions with a dirty-log hook */
	unsigned int dirty_gen_seen; /* vm->dirty_gen of the mapped layout */
	bool dirty_mark_all; /* ran with an old layout: see dirty.c */
	struct { /* the last ICC_* access, to be served at its UNDEF (K8) */
		bool pending, is_read;
		uint16_t enc;
		int rt;
		uint64_t pc, val;
	} icc;
	bool timer_level[2]; /* PPI level last driven */
	unsigned int timer_row[2][2]; /* sysreg table index: [timer][cval] */

	/* PSCI power state (eng->lock). */
	bool powered_on;
	bool on_pending; /* CPU_ON accepted, the vCPU has not started yet */
	uint64_t on_entry, on_ctx;
	uint32_t seen_mp_state; /* vcpu->mp_state last synchronised */
};

struct cpu_engine {
	struct vm *vm;
	pthread_mutex_t lock;
	atomic_bool dying;

	/* The runner thread and its scheduler. */
	pthread_t runner;
	struct fiber sched_fiber; /* the runner thread's own context */
	struct cpu_vcpu *fibers[VKVM_MAX_VCPUS]; /* started (eng->lock) */
	unsigned int nr_fibers;
	_Atomic(struct cpu_vcpu *) holder; /* its fiber runs (set: eng->lock) */
	atomic_llong holder_since; /* when holder got the thread (ns) */
	atomic_uint nr_ready, nr_urgent; /* READY fibers, woken ones */
	atomic_bool urgent_pending; /* a sleeping fiber was woken */
	atomic_llong sleep_deadline; /* earliest timer of a sleeping fiber */
	uint64_t ticket_next; /* runner */
	uint64_t sched_gen; /* scheduler passes (eng->lock) */
	unsigned int barrier_waiters; /* in cpu_engine_barrier (eng->lock) */
	pthread_cond_t barrier_cond;
	pthread_mutex_t sched_lock; /* innermost: guards sched_seq's waits */
	pthread_cond_t sched_cond;
	atomic_ullong sched_seq; /* bumped by every notification */

	pthread_t ticker;
	pthread_cond_t ticker_cond;
	bool ticker_idle; /* the ticker sleeps until a fiber runs */
	struct cpu_vcpu *vcpus[VKVM_MAX_VCPUS]; /* by vCPU index */
};

/* --- engine.c ------------------------------------------------------------ */

/* cv_now_ns - CLOCK_MONOTONIC in ns (Unicorn's counter is ns / 16). */
int64_t cv_now_ns(void);

/*
 * cv_request_stop - make @cv's engine leave uc_emu_start at the next TB
 * boundary to look at its events, and wake it if it sleeps (WFI, powered
 * off).  Any thread, any locks held (safe thanks to K2).
 */
void cv_request_stop(struct cpu_vcpu *cv);

/*
 * cv_exit_and_wait - report an exit of the current KVM_RUN (run_ret
 * @ret, vcpu->run already filled) and suspend @cv's fiber until the next
 * KVM_RUN of this vCPU (other fibers run meanwhile).  @cv's fiber only,
 * no locks held.  Returns false if the VM is being destroyed (the caller must
 * then stop the guest and return).
 */
bool cv_exit_and_wait(struct cpu_vcpu *cv, int ret);

/* cv_set_exit - end the current uc_emu_start with KVM_RUN result @ret
 * (the exit fields of vcpu->run are filled); from a hook. */
void cv_set_exit(struct cpu_vcpu *cv, int ret);

/* cv_lookup_locked - the state of vCPU @index (allocated on first use),
 * NULL if no such vCPU or no memory.  Caller holds eng->lock. */
struct cpu_vcpu *cv_lookup_locked(struct cpu_engine *eng, uint32_t index);

/*
 * cv_queue_others - ask every other vCPU of @cv's VM to drop @page from
 * its queue @which's kind of state before it runs again, or everything
 * if @all (also what a full queue turns into).  Takes eng->lock.
 */
void cv_queue_others(struct cpu_vcpu *cv, enum cv_queue which, uint64_t page,
		     bool all);

/*
 * cv_queue_take - empty @cv's queue @which: copies its pages to @pages
 * and returns their number, or returns 0 with *@all set when everything
 * is to be dropped.  Takes eng->lock.
 */
unsigned int cv_queue_take(struct cpu_vcpu *cv, enum cv_queue which,
			   uint64_t pages[ENGINE_QUEUE_PAGES], bool *all);

/* --- mem.c --------------------------------------------------------------- */

/* mem_sync - map the VM's memory slots and MMIO coverage into @cv's
 * engine if they changed.  Returns 0, -ENOMEM, -E2BIG, or
 * -ENOTSUP (the MMIO coverage could not be widened to 8 bytes). */
int mem_sync(struct cpu_vcpu *cv);

/* mem_hooks_add - the memory hooks of @cv's engine; 0 or -ENOTSUP. */
int mem_hooks_add(struct cpu_vcpu *cv);

/* --- dirty.c ------------------------------------------------------------- */

/* dirty_region_start - hook @r's stores if it is a logged slot (its
 * dirty reference is already held).  0 or -ENOMEM. */
int dirty_region_start(struct cpu_vcpu *cv, struct cv_region *r);

/* dirty_region_stop - remove @r's hook and drop its dirty reference. */
void dirty_region_stop(struct cpu_vcpu *cv, struct cv_region *r);

/* dirty_resync - @cv's regions are mapped as @want (@n regions, each
 * holding a dirty reference, all consumed): adopt @want's dirty logs,
 * re-hook what changed.  0 or -ENOMEM. */
int dirty_resync(struct cpu_vcpu *cv, struct cv_region *want, unsigned int n);

/* dirty_regions_put - drop the dirty references of @n unused regions. */
void dirty_regions_put(struct cv_region *r, unsigned int n);

/* dirty_after_park - after an MMIO exit inside uc_emu_start: if logging
 * started meanwhile, stop after this block and mark all (see dirty.c). */
void dirty_after_park(struct cpu_vcpu *cv);

/* dirty_mark_pending - the marking dirty_after_park asked for; engine
 * thread, outside uc_emu_start, layout already synchronised. */
void dirty_mark_pending(struct cpu_vcpu *cv);

/* dirty_sys - from the SYS hook: log the page a DC ZVA zeroes. */
void dirty_sys(struct cpu_vcpu *cv, uc_arm64_reg rt, const uc_arm64_cp_reg *cp);

/* --- exc.c --------------------------------------------------------------- */

/* exc_hooks_add - install the exception and system-instruction hooks. */
int exc_hooks_add(struct cpu_vcpu *cv);

/* exc_apply_ic - drop the translations other vCPUs' IC IVAU/IALLUIS
 * invalidated (a page list or all of them); @cv's fiber, before
 * it runs.  Takes eng->lock. */
void exc_apply_ic(struct cpu_vcpu *cv);

/*
 * exc_fetch_abort - the guest fetched from an address that is neither RAM
 * nor executable (Unicorn stopped with UC_ERR_FETCH_PROT at the fetch's
 * PC): take a synchronous external instruction abort to EL1, as KVM's
 * kvm_handle_guest_abort injects a prefetch abort for a fetch from an IPA
 * without a memslot (ESR EC 0x21, or 0x20 from EL0; IL; FSC 0x10; FAR and
 * ELR the fetch address).  Fiber, outside uc_emu_start.  Returns
 * false (nothing done) for an AArch32 context, and when the fetch that
 * failed is the abort's own vector (a loop KVM would spin in for ever).
 */
bool exc_fetch_abort(struct cpu_vcpu *cv);

/* --- tlbi.c ------------------------------------------------------------- */

/*
 * tlbi_broadcast - @cv executes the TLBI @cp (CRn 8, an inner- or
 * outer-shareable form) with operand register @rt: make every other
 * engine of the VM drop that page (by-address EL1 forms) or its whole TLB
 * before it runs again.  From the SYS hook; takes eng->lock.
 */
void tlbi_broadcast(struct cpu_vcpu *cv, uc_arm64_reg rt,
		    const uc_arm64_cp_reg *cp);

/* tlbi_apply - do what other vCPUs' TLBIs asked of @cv's engine; its own
 * thread, before it runs.  Takes eng->lock. */
void tlbi_apply(struct cpu_vcpu *cv);

/* --- psci.c -------------------------------------------------------------- */

/*
 * psci_call - an SMCCC call by @cv (an HVC if @hvc, else an SMC) with the
 * function id and arguments in X0-X3.  Writes the result to X0 or makes
 * the call an exit (system event) with cv_set_exit.
 */
void psci_call(struct cpu_vcpu *cv, bool hvc);

/* --- trng.c -------------------------------------------------------------- */

/*
 * trng_call - serve @fn if it is an SMCCC TRNG 1.0 call (X0-X3 written,
 * NOT_SUPPORTED unless the VM's STD bitmap offers TRNG); false if @fn is
 * no TRNG call.
 */
bool trng_call(struct cpu_vcpu *cv, uint32_t fn);

/* --- timer.c ------------------------------------------------------------- */

/*
 * timer_sysreg - emulate an access to a CNTV_/CNTP_ CTL/CVAL/TVAL
 * register (K7).  Returns true if @cp named one (the value read is stored
 * in *@val), false otherwise.
 */
bool timer_sysreg(struct cpu_vcpu *cv, const uc_arm64_cp_reg *cp, bool is_read,
		  uint64_t *val);

/* timer_init - find @cv's timer rows in the sysreg table; 0 or -ENOENT
 * (the table lacks a timer register: a build error). */
int timer_init(struct cpu_vcpu *cv);

/* timer_update - recompute the timer PPIs' levels; fiber. */
void timer_update(struct cpu_vcpu *cv);

/* timer_next_deadline - earliest host ns at which a timer of @cv fires,
 * INT64_MAX if none. */
int64_t timer_next_deadline(const struct cpu_vcpu *cv);

#endif /* VKVM_CPU_ENGINE_H */
