/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spin.h: a lock for short critical sections on a hot path (vm->gic_lock,
 * taken by every guest GIC access): one atomic exchange to take it, one
 * release store to drop it.  A waiter spins a little, then yields the
 * CPU, so a holder that was preempted still gets to run.  Nothing that
 * sleeps for long may be done while holding one.
 */
#ifndef VKVM_COMMON_SPIN_H
#define VKVM_COMMON_SPIN_H

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>

struct spinlock {
	atomic_bool held;
};

#define SPIN_TRIES 64

static inline void spin_init(struct spinlock *l)
{
	atomic_init(&l->held, false);
}

static inline bool spin_trylock(struct spinlock *l)
{
	return !atomic_load_explicit(&l->held, memory_order_relaxed) &&
	       !atomic_exchange_explicit(&l->held, true, memory_order_acquire);
}

static inline void spin_lock(struct spinlock *l)
{
	unsigned int n = 0;

	while (!spin_trylock(l)) {
		if (++n < SPIN_TRIES) {
#if defined(__x86_64__) || defined(__i386__)
			__builtin_ia32_pause();
#elif defined(__aarch64__)
			__asm__ volatile("yield");
#endif
			continue;
		}
		n = 0;
		sched_yield();
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	atomic_store_explicit(&l->held, false, memory_order_release);
}

#endif /* VKVM_COMMON_SPIN_H */
