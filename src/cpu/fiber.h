/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fiber.h: user-level execution contexts on one host thread (ucontext),
 * with a guard-paged stack each and the ASan/TSan switch annotations.
 * The policy (who runs when) is the caller's: see engine.c.
 *
 * Contract: a fiber runs only on the thread whose fiber_thread_init made
 * the fiber it is first switched from; exactly one fiber of a thread runs
 * at a time; no lock may be held across fiber_switch (another fiber of
 * the same thread could take it).  Fibers run with every signal blocked,
 * as the thread does after fiber_thread_init (so a switch never changes
 * the signal mask).
 */
#ifndef VKVM_CPU_FIBER_H
#define VKVM_CPU_FIBER_H

#include <stdbool.h>
#include <stddef.h>
#include <ucontext.h>

#define FIBER_STACK_SIZE (2u << 20) /* TCG's call depth, lazily committed */

struct fiber {
	ucontext_t ctx;
	void *map; /* stack mapping, guard page included; NULL: a thread */
	size_t map_size;
	void (*fn)(void *arg);
	void *arg;
	struct fiber *exit_to; /* where fn's return switches to */
	struct fiber *from; /* the fiber that switched to this one last */
	bool started, done;
	/* Sanitizer bookkeeping (unused without sanitizers). */
	void *tsan;
	void *asan_fake;
	const void *asan_bottom;
	size_t asan_size;
};

/*
 * fiber_thread_init - make @self stand for the calling thread's own
 * context, the one fibers switch back to, and block every signal in the
 * calling thread.  Returns 0.
 */
int fiber_thread_init(struct fiber *self);

/*
 * fiber_create - a fiber that runs fn(@arg) on a stack of its own of
 * @stack_size bytes (plus a guard page) when it is first switched to.
 * When fn returns, the fiber is done and switches to @exit_to for ever.
 * Returns 0, or -ENOMEM (no stack mapping).
 */
int fiber_create(struct fiber *f, size_t stack_size, void (*fn)(void *arg),
		 void *arg, struct fiber *exit_to);

/*
 * fiber_switch - suspend @from (the running fiber) and run @to (not
 * running, not done) until some fiber switches back to @from.
 */
void fiber_switch(struct fiber *from, struct fiber *to);

/*
 * fiber_destroy - free @f's stack.  @f must not run; if it is suspended
 * (started, not done), its frames are dropped without being unwound, so
 * the caller must know they own nothing.  A zeroed or destroyed fiber is
 * a no-op.
 */
void fiber_destroy(struct fiber *f);

#endif /* VKVM_CPU_FIBER_H */
