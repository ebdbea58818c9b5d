// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fiber.c: user-level contexts (makecontext/swapcontext) with guard-paged,
 * lazily committed stacks, annotated for ASan and TSan (fiber.h).
 */
#include "cpu/fiber.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FIBER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define FIBER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FIBER_TSAN 1
#endif
#endif

#ifdef FIBER_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef FIBER_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/*
 * ASan keeps one stack range per thread: tell it before each switch which
 * stack comes (a fiber that is done passes no fake-stack slot, so ASan
 * frees its fake frames), and after it where we came from.  A thread's
 * own stack bounds are learnt at the first switch away from it.
 */
static void san_before_switch(struct fiber *from, struct fiber *to)
{
#ifdef FIBER_ASAN
	__sanitizer_start_switch_fiber(from->done ? NULL : &from->asan_fake,
				       to->asan_bottom, to->asan_size);
#endif
#ifdef FIBER_TSAN
	__tsan_switch_to_fiber(to->tsan, 0);
#endif
	(void)from;
	(void)to;
}

/* Back on @self's stack, switched to by self->from. */
static void san_after_switch(struct fiber *self, bool first)
{
#ifdef FIBER_ASAN
	const void *bottom = NULL;
	size_t size = 0;

	__sanitizer_finish_switch_fiber(first ? NULL : self->asan_fake, &bottom,
					&size);
	if (self->from && !self->from->map) {
		self->from->asan_bottom = bottom;
		self->from->asan_size = size;
	}
#endif
	(void)self;
	(void)first;
}

int fiber_thread_init(struct fiber *self)
{
	sigset_t all;

	memset(self, 0, sizeof(*self));
	self->started = true;
#ifdef FIBER_TSAN
	self->tsan = __tsan_get_current_fiber();
#endif
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	return 0;
}

/* makecontext passes ints: the fiber's address in two halves. */
static void fiber_entry(unsigned int hi, unsigned int lo)
{
	struct fiber *f =
		(struct fiber *)(uintptr_t)(((uint64_t)hi << 32) | lo);

	san_after_switch(f, true);
	f->fn(f->arg);
	f->done = true;
	fiber_switch(f, f->exit_to);
	abort(); /* a done fiber is never switched to */
}

int fiber_create(struct fiber *f, size_t stack_size, void (*fn)(void *arg),
		 void *arg, struct fiber *exit_to)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint64_t addr = (uint64_t)(uintptr_t)f;
	uint8_t *map;

	memset(f, 0, sizeof(*f));
	stack_size = (stack_size + page - 1) & ~(page - 1);
	map = mmap(NULL, stack_size + page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1,
		   0);
	if (map == MAP_FAILED)
		return -ENOMEM;
	if (mprotect(map, page, PROT_NONE)) { /* the guard: stacks grow down */
		munmap(map, stack_size + page);
		return -ENOMEM;
	}
	f->map = map;
	f->map_size = stack_size + page;
	f->fn = fn;
	f->arg = arg;
	f->exit_to = exit_to;
	f->asan_bottom = map + page;
	f->asan_size = stack_size;
	getcontext(&f->ctx);
	sigfillset(&f->ctx.uc_sigmask);
	f->ctx.uc_stack.ss_sp = map + page;
	f->ctx.uc_stack.ss_size = stack_size;
	f->ctx.uc_link = NULL;
	makecontext(&f->ctx, (void (*)(void))fiber_entry, 2,
		    (unsigned int)(addr >> 32), (unsigned int)addr);
#ifdef FIBER_TSAN
	f->tsan = __tsan_create_fiber(0);
#endif
	return 0;
}

void fiber_switch(struct fiber *from, struct fiber *to)
{
	to->from = from;
	to->started = true;
	san_before_switch(from, to);
	swapcontext(&from->ctx, &to->ctx);
	san_after_switch(from, false);
}

void fiber_destroy(struct fiber *f)
{
	if (!f->map)
		return;
#ifdef FIBER_TSAN
	if (f->tsan)
		__tsan_destroy_fiber(f->tsan);
#endif
	munmap(f->map, f->map_size);
	f->map = NULL;
	f->tsan = NULL;
}
