// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * engine.c: KVM_RUN on Unicorn: the per-VM engine, its runner thread
 * that runs one fiber and uc_engine per vCPU, the scheduler, the ticker
 * and the run loop (docs/design.md "vCPU execution").
 */
#include "cpu/engine.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "cpu/cpu.h"
#include "cpu/cpu_dev.h"
#include "cpu/regsync.h"

#define MP_STATE_UNSEEN UINT32_MAX

int64_t cv_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Timed waits use CLOCK_MONOTONIC deadlines (the default is REALTIME). */
static void cond_init_monotonic(pthread_cond_t *cond)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(cond, &attr);
	pthread_condattr_destroy(&attr);
}

static void ns_to_abstime(int64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000LL);
	ts->tv_nsec = (long)(ns % 1000000000LL);
}

/* --- notifications: event counts, so no wake-up is ever lost --------- */

static uint64_t cv_wake_seq(struct cpu_vcpu *cv)
{
	return atomic_load(&cv->wake_seq);
}

/* Make the scheduler look again (it may sleep); any thread, any locks. */
static void sched_kick(struct cpu_engine *eng)
{
	pthread_mutex_lock(&eng->sched_lock);
	atomic_fetch_add(&eng->sched_seq, 1);
	pthread_cond_signal(&eng->sched_cond);
	pthread_mutex_unlock(&eng->sched_lock);
}

/*
 * Something changed for @cv: its fiber may be runnable again.  If it
 * sleeps (WFI, powered off; or waits for its KVM_RUN and @urgent_run),
 * the running fiber's quantum ends at once, so a woken vCPU (an IPI, the
 * VMM's answer to an exit) is served without waiting for the spinners.
 */
static void cv_notify(struct cpu_vcpu *cv, bool urgent_run)
{
	struct cpu_engine *eng = cv->eng;
	int blocked;
	struct cpu_vcpu *h;

	atomic_fetch_add(&cv->wake_seq, 1);
	sched_kick(eng);
	blocked = atomic_load(&cv->blocked);
	if (blocked != CV_S_WAIT_WAKE + 1 &&
	    !(urgent_run && blocked == CV_S_WAIT_RUN + 1))
		return;
	atomic_store(&eng->urgent_pending, true);
	h = atomic_load(&eng->holder);
	if (h && h != cv) {
		/* A stale h is harmless: a stop outside uc_emu_start is
		 * ignored (engine spec 2.3) and stop_req only means "look". */
		atomic_store(&h->stop_req, true);
		uc_emu_stop(h->uc);
	}
}

void cv_request_stop(struct cpu_vcpu *cv)
{
	atomic_store(&cv->stop_req, true);
	cv_notify(cv, false);
	/* Harmless when the engine is not inside uc_emu_start; the ticker
	 * repeats it while stop_req stays set (a stop that lands between
	 * two runs is ignored by Unicorn, engine spec 2.3). */
	if (atomic_load(&cv->uc_ready))
		uc_emu_stop(cv->uc);
}

/* --- the scheduler: the runner thread picks the fiber that runs -------- */

/*
 * Two lines: a fiber woken after sleeping (an interrupt, CPU_ON, the
 * VMM's answer to an exit) takes the urgent line, which is served first
 * and ends the running fiber's quantum at once; one that merely used up
 * its quantum takes the normal line.  So an IPI or an MMIO exit (a console
 * byte under a guest's print lock) is served without waiting a quantum of
 * every spinning vCPU; the spinners still run whenever no woken vCPU
 * waits (every urgent entry follows a sleep).
 */
static void sched_make_ready(struct cpu_engine *eng, struct cpu_vcpu *cv,
			     bool urgent)
{
	cv->sched = CV_S_READY;
	cv->urgent = urgent;
	cv->ticket = eng->ticket_next++;
	atomic_fetch_add(&eng->nr_ready, 1);
	if (urgent)
		atomic_fetch_add(&eng->nr_urgent, 1);
}

/* Should the running fiber give the thread up now (a woken one waits, a
 * sleeper's timer is due, or its quantum is over and others wait)?  Any
 * thread. */
static bool sched_should_yield(struct cpu_engine *eng)
{
	int64_t now;

	if (atomic_load(&eng->urgent_pending) || atomic_load(&eng->nr_urgent))
		return true;
	now = cv_now_ns();
	if (now >= atomic_load(&eng->sleep_deadline))
		return true;
	return atomic_load(&eng->nr_ready) &&
	       now - atomic_load(&eng->holder_since) >= ENGINE_QUANTUM_NS;
}

/* Suspend the running fiber @cv; back when the scheduler picks it. */
static void cv_switch_out(struct cpu_vcpu *cv)
{
	fiber_switch(&cv->fiber, &cv->eng->sched_fiber);
}

/* Sleep (without the thread) in @why until the scheduler wakes @cv:
 * see sched_wakes_locked.  @cv's fiber, no locks held. */
static void cv_block(struct cpu_vcpu *cv, enum cv_sched why, uint64_t seq,
		     int64_t deadline)
{
	cv->sched = why;
	cv->wait_seq = seq;
	cv->wait_deadline = deadline;
	atomic_store(&cv->blocked, (int)why + 1);
	cv_switch_out(cv);
}

/* Let waiting fibers run once the running one's quantum is over. */
static void cv_maybe_yield(struct cpu_vcpu *cv)
{
	if (!sched_should_yield(cv->eng))
		return;
	sched_make_ready(cv->eng, cv, false);
	cv_switch_out(cv);
}

/* Is the sleeping @cv to run again?  Lowers *@deadline to its timer. */
static bool sched_wakes_locked(struct cpu_engine *eng, struct cpu_vcpu *cv,
			       int64_t *deadline)
{
	if (eng->dying)
		return true;
	if (cv->sched == CV_S_WAIT_RUN)
		return cv->state == CV_RUN_REQ;
	if (cv_wake_seq(cv) != cv->wait_seq || cv_now_ns() >= cv->wait_deadline)
		return true;
	if (cv->wait_deadline < *deadline)
		*deadline = cv->wait_deadline;
	return false;
}

/* The next fiber to run (woken ones first, each line in order), NULL if
 * none; the sleepers whose event came are put in the urgent line first. */
static struct cpu_vcpu *sched_pick_locked(struct cpu_engine *eng,
					  int64_t *deadline)
{
	struct cpu_vcpu *best = NULL;

	for (unsigned int i = 0; i < eng->nr_fibers; i++) {
		struct cpu_vcpu *cv = eng->fibers[i];

		if ((cv->sched == CV_S_WAIT_RUN ||
		     cv->sched == CV_S_WAIT_WAKE) &&
		    sched_wakes_locked(eng, cv, deadline)) {
			atomic_store(&cv->blocked, 0);
			sched_make_ready(eng, cv, true);
		}
	}
	for (unsigned int i = 0; i < eng->nr_fibers; i++) {
		struct cpu_vcpu *cv = eng->fibers[i];

		if (cv->sched != CV_S_READY)
			continue;
		if (!best || (cv->urgent && !best->urgent) ||
		    (cv->urgent == best->urgent && cv->ticket < best->ticket))
			best = cv;
	}
	return best;
}

/* Give the thread to @cv's fiber until it switches back. */
static void sched_run_locked(struct cpu_engine *eng, struct cpu_vcpu *cv)
{
	atomic_fetch_sub(&eng->nr_ready, 1);
	if (cv->urgent)
		atomic_fetch_sub(&eng->nr_urgent, 1);
	cv->sched = CV_S_RUNNING;
	atomic_store(&eng->holder_since, cv_now_ns());
	atomic_store(&eng->holder, cv);
	if (eng->ticker_idle)
		pthread_cond_signal(&eng->ticker_cond);
	pthread_mutex_unlock(&eng->lock);
	fiber_switch(&eng->sched_fiber, &cv->fiber);
	pthread_mutex_lock(&eng->lock);
	atomic_store(&eng->holder, NULL);
	if (cv->fiber.done)
		cv->sched = CV_S_DONE;
	eng->sched_gen++;
	if (eng->barrier_waiters)
		pthread_cond_broadcast(&eng->barrier_cond);
}

static bool sched_all_done_locked(struct cpu_engine *eng)
{
	for (unsigned int i = 0; i < eng->nr_fibers; i++)
		if (eng->fibers[i]->sched != CV_S_DONE)
			return false;
	return true;
}

/* Nothing runnable: sleep until a notification or @deadline (ns). */
static void sched_idle(struct cpu_engine *eng, uint64_t seq, int64_t deadline)
{
	struct timespec ts;

	pthread_mutex_lock(&eng->sched_lock);
	while (atomic_load(&eng->sched_seq) == seq && cv_now_ns() < deadline) {
		if (deadline == INT64_MAX) {
			pthread_cond_wait(&eng->sched_cond, &eng->sched_lock);
			continue;
		}
		ns_to_abstime(deadline, &ts);
		pthread_cond_timedwait(&eng->sched_cond, &eng->sched_lock, &ts);
	}
	pthread_mutex_unlock(&eng->sched_lock);
}

/*
 * The runner thread: runs the vCPUs' fibers one at a time until the VM
 * ends and every fiber has returned (each is resumed then, so it leaves
 * Unicorn through its normal path, even from inside an MMIO callback).
 */
static void *runner_main(void *arg)
{
	struct cpu_engine *eng = arg;
	struct cpu_vcpu *next;
	int64_t deadline;
	uint64_t seq;

	fiber_thread_init(&eng->sched_fiber);
	pthread_mutex_lock(&eng->lock);
	for (;;) {
		seq = atomic_load(&eng->sched_seq);
		atomic_store(&eng->urgent_pending, false);
		deadline = INT64_MAX;
		next = sched_pick_locked(eng, &deadline);
		atomic_store(&eng->sleep_deadline, deadline);
		if (next) {
			sched_run_locked(eng, next);
			continue;
		}
		if (eng->dying && sched_all_done_locked(eng))
			break;
		pthread_mutex_unlock(&eng->lock);
		sched_idle(eng, seq, deadline);
		pthread_mutex_lock(&eng->lock);
	}
	pthread_mutex_unlock(&eng->lock);
	return NULL;
}

void cpu_engine_barrier(struct vm *vm)
{
	struct cpu_engine *eng = __atomic_load_n(&vm->engine, __ATOMIC_ACQUIRE);
	struct cpu_vcpu *h;
	uint64_t gen;

	if (!eng)
		return;
	pthread_mutex_lock(&eng->lock);
	h = atomic_load(&eng->holder);
	if (h) {
		/* As for a woken vCPU: the running fiber stops and yields;
		 * each re-reads the slot list (mem_sync) before it executes
		 * again. */
		gen = eng->sched_gen;
		atomic_store(&eng->urgent_pending, true);
		atomic_store(&h->stop_req, true);
		uc_emu_stop(h->uc);
		eng->barrier_waiters++;
		while (eng->sched_gen == gen && !eng->dying)
			pthread_cond_wait(&eng->barrier_cond, &eng->lock);
		eng->barrier_waiters--;
	}
	pthread_mutex_unlock(&eng->lock);
}

/*
 * The ticker ends the running fiber's quantum when others wait (at once
 * when a woken one waits), sleeps while no fiber runs, and repeats stops
 * that Unicorn may have ignored (stop_req still set) or that a timer
 * deadline needs.
 */
static void *ticker_main(void *arg)
{
	struct cpu_engine *eng = arg;
	struct cpu_vcpu *h;
	struct timespec ts;
	int64_t now;

	pthread_mutex_lock(&eng->lock);
	while (!eng->dying) {
		if (!atomic_load(&eng->holder)) {
			/* No guest code runs (all vCPUs sleep or wait for
			 * the VMM): nothing to stop, so no idle wake-ups. */
			eng->ticker_idle = true;
			pthread_cond_wait(&eng->ticker_cond, &eng->lock);
			eng->ticker_idle = false;
			continue;
		}
		ns_to_abstime(cv_now_ns() + ENGINE_TICK_NS, &ts);
		pthread_cond_timedwait(&eng->ticker_cond, &eng->lock, &ts);
		h = atomic_load(&eng->holder); /* stable: set under eng->lock */
		now = cv_now_ns();
		if (h &&
		    (sched_should_yield(eng) || atomic_load(&h->stop_req) ||
		     now >= atomic_load(&h->deadline_ns))) {
			atomic_store(&h->stop_req, true);
			uc_emu_stop(h->uc);
		}
	}
	pthread_mutex_unlock(&eng->lock);
	return NULL;
}

/* --- handoff between the KVM_RUN caller and the vCPU's fiber --------- */

static void cv_sync_mp_state_out(struct cpu_vcpu *cv)
{
	pthread_mutex_lock(&cv->eng->lock);
	cv->vcpu->mp_state = cv->powered_on ? KVM_MP_STATE_RUNNABLE :
					      KVM_MP_STATE_STOPPED;
	cv->seen_mp_state = cv->vcpu->mp_state;
	pthread_mutex_unlock(&cv->eng->lock);
}

/* A new KVM_RUN: adopt what the VMM changed meanwhile. */
static void cv_entry(struct cpu_vcpu *cv)
{
	struct vcpu *vcpu = cv->vcpu;

	pthread_mutex_lock(&cv->eng->lock);
	if (vcpu->mp_state != cv->seen_mp_state) {
		/* VCPU_INIT or SET_MP_STATE: a reset, maybe with new code in
		 * guest RAM that old translations must not run. */
		if (cv->seen_mp_state != MP_STATE_UNSEEN)
			uc_ctl_flush_tb(cv->uc);
		cv->powered_on = vcpu->mp_state != KVM_MP_STATE_STOPPED;
		cv->seen_mp_state = vcpu->mp_state;
	}
	pthread_mutex_unlock(&cv->eng->lock);
	if (!cv->in_mmio)
		regsync_load(cv);
	if (vcpu->run->immediate_exit || atomic_load(&cv->sig_stop)) {
		/* Complete a pending MMIO access first, then leave (Linux
		 * handles the MMIO return before it looks at either). */
		atomic_store(&cv->stop_req, true);
		if (cv->in_mmio)
			uc_emu_stop(cv->uc);
	}
}

/* Wait for the next KVM_RUN of @cv and take it; false if the VM ends. */
static bool cv_take_run(struct cpu_vcpu *cv)
{
	struct cpu_engine *eng = cv->eng;
	bool dying, run;

	for (;;) {
		pthread_mutex_lock(&eng->lock);
		dying = eng->dying;
		run = cv->state == CV_RUN_REQ;
		if (run && !dying)
			cv->state = CV_RUNNING;
		pthread_mutex_unlock(&eng->lock);
		if (dying)
			return false;
		if (run)
			break;
		cv_block(cv, CV_S_WAIT_RUN, 0, INT64_MAX);
	}
	cv_entry(cv);
	return true;
}

bool cv_exit_and_wait(struct cpu_vcpu *cv, int ret)
{
	struct cpu_engine *eng = cv->eng;

	/* At an MMIO exit TCG has synced X0-X30 to env (guest loads and
	 * stores have side effects) and mem.c restored the access's PC. */
	regsync_store(cv);
	cv_sync_mp_state_out(cv);
	pthread_mutex_lock(&eng->lock);
	cv->run_ret = ret;
	cv->state = CV_EXITED;
	pthread_cond_broadcast(&cv->cond);
	eventfd_write(cv->exit_efd, 1);
	pthread_mutex_unlock(&eng->lock);
	return cv_take_run(cv);
}

void cv_set_exit(struct cpu_vcpu *cv, int ret)
{
	cv->exit_ret = ret;
	uc_emu_stop(cv->uc);
}

/* --- the run loop ------------------------------------------------------ */

/* Must the run end with EINTR: a kick (consumed), a signal that reached
 * the caller, immediate_exit or the VM's end? */
static bool cv_intr_wanted(struct cpu_vcpu *cv)
{
	return atomic_exchange(&cv->vcpu->kick, false) ||
	       atomic_load(&cv->sig_stop) || cv->vcpu->run->immediate_exit ||
	       cv->eng->dying;
}

static int cv_exit_intr(struct cpu_vcpu *cv)
{
	cv->vcpu->run->exit_reason = KVM_EXIT_INTR;
	return -EINTR;
}

static int cv_exit_internal(struct cpu_vcpu *cv, uc_err err)
{
	struct kvm_run *run = cv->vcpu->run;
	uint64_t pc = 0;

	uc_reg_read(cv->uc, UC_ARM64_REG_PC, &pc);
	pr_warn("vcpu %u: engine error %d (%s) at pc %#llx\n", cv->index,
		(int)err, uc_strerror(err), (unsigned long long)pc);
	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	run->internal.ndata = 2;
	run->internal.data[0] = (uint64_t)err;
	run->internal.data[1] = pc;
	return 0;
}

/* CPU_ON was accepted for @cv: start at the entry point, reset state. */
static void cv_power_on(struct cpu_vcpu *cv, uint64_t entry, uint64_t ctx)
{
	regsync_reset(cv, entry, ctx);
}

/*
 * Powered off: sleep (let others run) until CPU_ON, a kick or the
 * VM's end.  Returns 0 to keep running, or the KVM_RUN result.
 */
static int cv_wait_power(struct cpu_vcpu *cv)
{
	struct cpu_engine *eng = cv->eng;
	uint64_t seq, entry = 0, ctx = 0;
	bool on = false, start = false;

	for (;;) {
		seq = cv_wake_seq(cv);
		pthread_mutex_lock(&eng->lock);
		on = cv->powered_on;
		start = cv->on_pending;
		cv->on_pending = false;
		entry = cv->on_entry;
		ctx = cv->on_ctx;
		pthread_mutex_unlock(&eng->lock);
		if (start)
			cv_power_on(cv, entry, ctx);
		if (on)
			return 0;
		if (cv_intr_wanted(cv))
			return cv_exit_intr(cv);
		cv_block(cv, CV_S_WAIT_WAKE, seq, INT64_MAX);
	}
}

static bool cv_wfi_wakes(struct cpu_vcpu *cv)
{
	return atomic_load(&cv->vcpu->irq_line) ||
	       atomic_load(&cv->vcpu->fiq_line) ||
	       atomic_load(&cv->vcpu->kick) || atomic_load(&cv->sig_stop) ||
	       cv->vcpu->run->immediate_exit;
}

/* WFI: let others run until an interrupt, a timer or a kick. */
static void cv_wfi(struct cpu_vcpu *cv)
{
	uint64_t seq = cv_wake_seq(cv);

	timer_update(cv);
	if (cv_wfi_wakes(cv) || cv->eng->dying)
		return;
	cv_block(cv, CV_S_WAIT_WAKE, seq, atomic_load(&cv->deadline_ns));
}

/* Apply what other threads asked for before the engine runs again. */
static void cv_prepare(struct cpu_vcpu *cv)
{
	tlbi_apply(cv);
	exc_apply_ic(cv);
	timer_update(cv);
	uc_kit_set_line(&cv->kit, atomic_load(&cv->vcpu->irq_line),
			atomic_load(&cv->vcpu->fiq_line));
}

/* One pass: check events, run the guest until something stops it. */
static int cv_run_once(struct cpu_vcpu *cv, bool *again)
{
	uint64_t pc;
	uc_err err;
	int ret;

	*again = false;
	atomic_store(&cv->stop_req, false);
	if (cv_intr_wanted(cv))
		return cv_exit_intr(cv);
	ret = cv_wait_power(cv);
	if (ret)
		return ret;
	ret = mem_sync(cv);
	if (ret)
		return ret;
	cv_prepare(cv);
	cv->exit_ret = 1;
	uc_reg_read(cv->uc, UC_ARM64_REG_PC, &pc);
	err = uc_emu_start(cv->uc, pc, 0, 0, 0);
	if (cv->exit_ret != 1)
		return cv->exit_ret;
	if (err == UC_ERR_FETCH_PROT && exc_fetch_abort(cv)) {
		*again = true; /* the guest handles its abort */
		return 0;
	}
	if (err)
		return cv_exit_internal(cv, err);
	/* Returned by itself: WFI (engine spec 2.4). */
	if (cv->want_wfi || !atomic_load(&cv->stop_req))
		cv_wfi(cv);
	cv->want_wfi = false;
	cv_maybe_yield(cv);
	*again = true;
	return 0;
}

static int cv_run(struct cpu_vcpu *cv)
{
	bool again;
	int ret;

	do
		ret = cv_run_once(cv, &again);
	while (again);
	return ret;
}

/* A vCPU's fiber: first switched to for its first KVM_RUN (or at the
 * VM's end); returns at the VM's end. */
static void cv_main(void *arg)
{
	struct cpu_vcpu *cv = arg;
	int ret;

	if (!cv_take_run(cv))
		return;
	do
		ret = cv_run(cv);
	while (cv_exit_and_wait(cv, ret));
}

/* --- creation and teardown --------------------------------------------- */

/* The per-vCPU state for vCPU @index; allocated on first use. */
struct cpu_vcpu *cv_lookup_locked(struct cpu_engine *eng, uint32_t index)
{
	struct cpu_vcpu *cv = eng->vcpus[index];
	struct vcpu *vcpu;

	if (cv)
		return cv;
	vcpu = vm_vcpu_by_index(eng->vm, index);
	if (!vcpu)
		return NULL;
	cv = calloc(1, sizeof(*cv));
	if (!cv)
		return NULL;
	cv->eng = eng;
	cv->vcpu = vcpu;
	cv->index = index;
	cv->seen_mp_state = MP_STATE_UNSEEN;
	cv->exit_efd = -1;
	atomic_init(&cv->deadline_ns, INT64_MAX);
	pthread_cond_init(&cv->cond, NULL);
	__atomic_store_n(&eng->vcpus[index], cv, __ATOMIC_RELEASE);
	return cv;
}

static void cv_queue_locked(struct cv_page_queue *q, uint64_t page, bool all)
{
	if (q->all)
		return;
	if (all || q->n == ENGINE_QUEUE_PAGES) {
		q->n = 0;
		q->all = true;
	} else if (!q->n || q->page[q->n - 1] != page) {
		q->page[q->n++] = page;
	}
}

void cv_queue_others(struct cpu_vcpu *cv, enum cv_queue which, uint64_t page,
		     bool all)
{
	struct cpu_engine *eng = cv->eng;

	pthread_mutex_lock(&eng->lock);
	for (unsigned int i = 0; i < VKVM_MAX_VCPUS; i++) {
		struct cpu_vcpu *o = eng->vcpus[i];

		if (o && o != cv)
			cv_queue_locked(&o->queue[which], page, all);
	}
	pthread_mutex_unlock(&eng->lock);
}

unsigned int cv_queue_take(struct cpu_vcpu *cv, enum cv_queue which,
			   uint64_t pages[ENGINE_QUEUE_PAGES], bool *all)
{
	struct cv_page_queue *q = &cv->queue[which];
	unsigned int n;

	pthread_mutex_lock(&cv->eng->lock);
	*all = q->all;
	n = q->n;
	memcpy(pages, q->page, n * sizeof(pages[0]));
	q->all = false;
	q->n = 0;
	pthread_mutex_unlock(&cv->eng->lock);
	return n;
}

static int cv_open_uc(struct cpu_vcpu *cv)
{
	int ret;

	ret = uc_kit_open_buffer(&cv->uc, cv->index ? ENGINE_TCG_OTHER :
						      ENGINE_TCG_BOOT);
	if (ret)
		return ret;
	ret = uc_kit_attach(cv->uc, &cv->kit);
	if (ret)
		return ret;
	ret = regsync_init(cv);
	if (!ret)
		ret = timer_init(cv);
	if (!ret)
		ret = mem_hooks_add(cv);
	return ret ? ret : exc_hooks_add(cv);
}

/* First KVM_RUN of a vCPU: its uc_engine and fiber (eng->lock held). */
static int cv_start(struct cpu_vcpu *cv)
{
	struct cpu_engine *eng = cv->eng;
	int ret;

	if (cv->fiber_made)
		return 0;
	if (cv->exit_efd < 0) {
		cv->exit_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (cv->exit_efd < 0)
			return -errno;
	}
	ret = cv_open_uc(cv);
	if (ret)
		goto err_close;
	ret = fiber_create(&cv->fiber, FIBER_STACK_SIZE, cv_main, cv,
			   &eng->sched_fiber);
	if (ret)
		goto err_close;
	atomic_store(&cv->uc_ready, true);
	cv->sched = CV_S_WAIT_RUN;
	atomic_store(&cv->blocked, CV_S_WAIT_RUN + 1);
	eng->fibers[eng->nr_fibers++] = cv;
	cv->fiber_made = true;
	return 0;

err_close:
	atomic_store(&cv->uc_ready, false);
	if (cv->uc)
		uc_close(cv->uc);
	cv->uc = NULL;
	return ret;
}

static void cv_free(struct cpu_vcpu *cv)
{
	if (!cv)
		return;
	/* The runner has ended: every fiber has returned (or never ran). */
	fiber_destroy(&cv->fiber);
	dirty_regions_put(cv->regions, cv->nr_regions);
	if (cv->uc)
		uc_close(cv->uc);
	if (cv->exit_efd >= 0)
		close(cv->exit_efd);
	pthread_cond_destroy(&cv->cond);
	free(cv);
}

static void engine_free(struct cpu_engine *eng)
{
	pthread_cond_destroy(&eng->ticker_cond);
	pthread_cond_destroy(&eng->sched_cond);
	pthread_mutex_destroy(&eng->sched_lock);
	pthread_cond_destroy(&eng->barrier_cond);
	pthread_mutex_destroy(&eng->lock);
	free(eng);
}

/* Make the scheduler and every fiber run to their end, then wait. */
static void engine_stop(struct cpu_engine *eng, bool runner)
{
	pthread_mutex_lock(&eng->lock);
	eng->dying = true;
	pthread_cond_broadcast(&eng->ticker_cond);
	pthread_cond_broadcast(&eng->barrier_cond);
	pthread_mutex_unlock(&eng->lock);
	for (unsigned int i = 0; i < VKVM_MAX_VCPUS; i++)
		if (eng->vcpus[i])
			cv_request_stop(eng->vcpus[i]);
	sched_kick(eng);
	if (runner)
		pthread_join(eng->runner, NULL);
	pthread_join(eng->ticker, NULL);
}

static struct cpu_engine *engine_create(struct vm *vm)
{
	struct cpu_engine *eng = calloc(1, sizeof(*eng));

	if (!eng)
		return NULL;
	eng->vm = vm;
	atomic_init(&eng->sleep_deadline, INT64_MAX);
	pthread_mutex_init(&eng->lock, NULL);
	pthread_cond_init(&eng->barrier_cond, NULL);
	pthread_mutex_init(&eng->sched_lock, NULL);
	cond_init_monotonic(&eng->sched_cond);
	cond_init_monotonic(&eng->ticker_cond);
	if (pthread_create(&eng->ticker, NULL, ticker_main, eng)) {
		engine_free(eng);
		return NULL;
	}
	if (pthread_create(&eng->runner, NULL, runner_main, eng)) {
		engine_stop(eng, false);
		engine_free(eng);
		return NULL;
	}
	return eng;
}

void cpu_engine_destroy(struct vm *vm)
{
	struct cpu_engine *eng = vm->engine;

	if (!eng)
		return;
	engine_stop(eng, true);
	for (unsigned int i = 0; i < VKVM_MAX_VCPUS; i++)
		cv_free(eng->vcpus[i]);
	engine_free(eng);
	vm->engine = NULL;
}

/* The VM's engine, made at the first KVM_RUN (caller: no locks). */
static int engine_get(struct vm *vm, struct cpu_engine **out)
{
	int ret = 0;

	pthread_mutex_lock(&vm->lock);
	if (!vm->engine) {
		struct cpu_engine *eng = engine_create(vm);

		/* The kit was checked at KVM_CREATE_VM (cpu_self_test). */
		ret = eng ? 0 : -ENOMEM;
		if (!ret)
			cpu_dev_vm_init(vm);
		__atomic_store_n(&vm->engine, eng, __ATOMIC_RELEASE);
	}
	if (!ret)
		atomic_store(&vm->has_run, true);
	*out = vm->engine;
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

/*
 * Is a signal pending that @mask lets through?  ppoll with no fds and no
 * wait installs @mask, so such a signal is delivered (its handler runs)
 * and ppoll fails with EINTR.
 */
static bool run_signal_pending(const sigset_t *mask)
{
	const struct timespec zero = { 0, 0 };

	return ppoll(NULL, 0, &zero, mask) < 0 && errno == EINTR;
}

/*
 * The KVM_RUN caller's wait for the fiber's report (eng->lock
 * held).  It sleeps in ppoll with the run's signal mask installed, as
 * Linux runs the guest under kvm_sigset_activate: a signal that mask lets
 * through runs its handler and stops the guest at the next TB boundary,
 * and the run ends with EINTR / KVM_EXIT_INTR (or with the exit the
 * engine reached first, complete).
 */
static void cv_wait_exit_locked(struct cpu_vcpu *cv, const sigset_t *mask)
{
	struct pollfd pfd = { .fd = cv->exit_efd, .events = POLLIN };
	eventfd_t n;
	int r;

	while (cv->state != CV_EXITED) {
		pthread_mutex_unlock(&cv->eng->lock);
		r = ppoll(&pfd, 1, NULL, mask) < 0 ? -errno : 1;
		if (r > 0)
			eventfd_read(cv->exit_efd, &n);
		else if (r == -EINTR && !atomic_exchange(&cv->sig_stop, true))
			cv_request_stop(cv);
		pthread_mutex_lock(&cv->eng->lock);
		if (r < 0 && r != -EINTR) /* not expected: wait without */
			while (cv->state != CV_EXITED)
				pthread_cond_wait(&cv->cond, &cv->eng->lock);
	}
}

int cpu_vcpu_run(struct vcpu *vcpu)
{
	const sigset_t *mask = vcpu->sigmask_active ? &vcpu->sigmask : NULL;
	struct cpu_engine *eng;
	struct cpu_vcpu *cv;
	bool pending;
	int ret;

	ret = engine_get(vcpu->vm, &eng);
	if (ret)
		return ret;
	/* Pending at entry (possible only with a mask of its own): leave
	 * at once, after completing a pending MMIO read as Linux does.
	 * Checked with no lock held: the handler runs here. */
	pending = mask && run_signal_pending(mask);
	pthread_mutex_lock(&eng->lock);
	cv = cv_lookup_locked(eng, vcpu->index);
	ret = cv ? cv_start(cv) : -ENOMEM;
	if (ret)
		goto out_unlock;
	if (pending)
		atomic_store(&cv->sig_stop, true);
	cv->state = CV_RUN_REQ;
	cv_notify(cv, true);
	cv_wait_exit_locked(cv, mask);
	atomic_store(&cv->sig_stop, false);
	cv->state = CV_IDLE;
	ret = cv->run_ret;
out_unlock:
	pthread_mutex_unlock(&eng->lock);
	return ret;
}

void cpu_vcpu_kick(struct vcpu *vcpu)
{
	struct cpu_engine *eng;
	struct cpu_vcpu *cv;

	/* No locks: called under vm->gic_lock from the vGIC's set_line. */
	eng = __atomic_load_n(&vcpu->vm->engine, __ATOMIC_ACQUIRE);
	if (!eng)
		return;
	cv = __atomic_load_n(&eng->vcpus[vcpu->index], __ATOMIC_ACQUIRE);
	if (cv)
		cv_request_stop(cv);
}
