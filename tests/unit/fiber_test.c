// SPDX-License-Identifier: GPL-2.0-or-later
/* fiber_test.c: the fiber primitive (src/cpu/fiber.h), and Unicorn engines
 * taking turns on one thread from inside their callbacks (engine.h). */
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include <unicorn/unicorn.h>

#include "lib/test.h"

#include "cpu/fiber.h"

struct pingpong {
	struct fiber main, f[2];
	char log[16];
	unsigned int n;
	uintptr_t sp[2];
};

static void pp_note(struct pingpong *p, char c)
{
	if (p->n < sizeof(p->log) - 1)
		p->log[p->n++] = c;
}

static void pp_fiber0(void *arg)
{
	struct pingpong *p = arg;
	char local;

	p->sp[0] = (uintptr_t)&local;
	pp_note(p, 'a');
	fiber_switch(&p->f[0], &p->f[1]);
	pp_note(p, 'c');
	fiber_switch(&p->f[0], &p->main);
	pp_note(p, 'e');
}

static void pp_fiber1(void *arg)
{
	struct pingpong *p = arg;
	char local;

	p->sp[1] = (uintptr_t)&local;
	pp_note(p, 'b');
	fiber_switch(&p->f[1], &p->f[0]);
	pp_note(p, 'd');
}

static bool on_stack(const struct fiber *f, uintptr_t sp)
{
	uintptr_t lo = (uintptr_t)f->map;

	return sp > lo && sp < lo + f->map_size;
}

TEST(fibers_run_in_switch_order_on_their_own_stacks)
{
	struct pingpong p = { 0 };

	EXPECT_EQ(fiber_thread_init(&p.main), 0);
	REQUIRE(fiber_create(&p.f[0], FIBER_STACK_SIZE, pp_fiber0, &p,
			     &p.main) == 0);
	REQUIRE(fiber_create(&p.f[1], FIBER_STACK_SIZE, pp_fiber1, &p,
			     &p.main) == 0);
	fiber_switch(&p.main, &p.f[0]); /* a, b, c: back here */
	EXPECT(!strcmp(p.log, "abc"));
	EXPECT(!p.f[0].done && !p.f[1].done);
	fiber_switch(&p.main, &p.f[1]); /* d, then f[1] returns here */
	EXPECT(p.f[1].done);
	fiber_switch(&p.main, &p.f[0]); /* e, then f[0] returns here */
	EXPECT(p.f[0].done);
	EXPECT(!strcmp(p.log, "abcde"));
	EXPECT(on_stack(&p.f[0], p.sp[0]));
	EXPECT(on_stack(&p.f[1], p.sp[1]));
	fiber_destroy(&p.f[0]);
	fiber_destroy(&p.f[1]);
}

static void park(void *arg)
{
	struct pingpong *p = arg;

	pp_note(p, 'p');
	fiber_switch(&p->f[0], &p->main);
	pp_note(p, 'X'); /* never resumed */
}

TEST(a_suspended_fiber_is_destroyed_without_running_on)
{
	struct pingpong p = { 0 };

	fiber_thread_init(&p.main);
	REQUIRE(fiber_create(&p.f[0], FIBER_STACK_SIZE, park, &p, &p.main) ==
		0);
	fiber_switch(&p.main, &p.f[0]);
	EXPECT(!p.f[0].done);
	fiber_destroy(&p.f[0]);
	EXPECT(p.f[0].map == NULL);
	fiber_destroy(&p.f[0]); /* twice: a no-op */
	EXPECT(!strcmp(p.log, "p"));
}

/* Uses about @depth KiB of stack. */
static unsigned int deep(unsigned int depth)
{
	volatile char pad[1024];

	pad[0] = (char)depth;
	if (!depth)
		return pad[0];
	return deep(depth - 1) + 1 + (unsigned int)pad[0] * 0;
}

static void deep_fiber(void *arg)
{
	unsigned int *n = arg;

	*n = deep(*n);
}

TEST(a_fiber_stack_holds_a_megabyte_of_frames)
{
	struct fiber main, f;
	unsigned int n = 1024;

	fiber_thread_init(&main);
	REQUIRE(fiber_create(&f, FIBER_STACK_SIZE, deep_fiber, &n, &main) == 0);
	fiber_switch(&main, &f);
	EXPECT(f.done);
	EXPECT_EQ(n, 1024);
	fiber_destroy(&f);
}

static void touch_guard(void *arg)
{
	struct fiber *self = arg;
	volatile char *guard = self->map;

	*guard = 1; /* the page below the stack: must fault */
}

TEST(the_page_below_a_fiber_stack_faults)
{
	struct fiber main, f;
	int status = 0;
	pid_t pid;

	fiber_thread_init(&main);
	REQUIRE(fiber_create(&f, FIBER_STACK_SIZE, touch_guard, &f, &main) ==
		0);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		fiber_switch(&main, &f);
		_exit(0);
	}
	EXPECT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT(WIFSIGNALED(status) || WEXITSTATUS(status) != 0);
	fiber_destroy(&f);
}

/*
 * Two Unicorn engines, each run by its own fiber, switch to the other
 * from inside an MMIO callback (as an MMIO exit parks a vCPU): each
 * engine's state is its own, so both finish with their own results.
 */
#define UCF_CODE 0x1000ULL
#define UCF_MMIO 0x100000ULL

struct ucf {
	struct fiber *self, *other;
	uc_engine *uc;
	uint64_t x1;
	uc_err err;
	unsigned int reads;
};

static uint64_t ucf_read(uc_engine *uc, uint64_t off, unsigned size,
			 void *opaque)
{
	struct ucf *u = opaque;

	u->reads++;
	fiber_switch(u->self, u->other);
	return off + u->reads;
}

static void ucf_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t v,
		      void *opaque)
{
}

static void ucf_main(void *arg)
{
	struct ucf *u = arg;

	u->err = uc_emu_start(u->uc, UCF_CODE, UCF_CODE + 3 * 4, 0, 0);
	uc_reg_read(u->uc, UC_ARM64_REG_X1, &u->x1);
}

static int ucf_open(struct ucf *u, uint32_t movz_x0)
{
	/* movz x0, #imm; ldr w1, [x0]; ldr w2, [x0] (4 bytes: one read) */
	const uint32_t code[] = { movz_x0, 0xb9400001, 0xb9400002 };

	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &u->uc))
		return -1;
	if (uc_mem_map(u->uc, UCF_CODE, 0x1000, UC_PROT_ALL) ||
	    uc_mem_write(u->uc, UCF_CODE, code, sizeof(code)) ||
	    uc_mmio_map(u->uc, UCF_MMIO, 0x1000, ucf_read, u, ucf_write, u))
		return -1;
	return 0;
}

TEST(unicorn_engines_take_turns_inside_their_callbacks)
{
	struct fiber main, f[2];
	struct ucf u[2] = { { &f[0], &f[1] }, { &f[1], &f[0] } };

	fiber_thread_init(&main);
	REQUIRE(ucf_open(&u[0], 0xd2a00200) == 0); /* movz x0, #0x10, lsl #16 */
	REQUIRE(ucf_open(&u[1], 0xd2a00200) == 0);
	REQUIRE(fiber_create(&f[0], FIBER_STACK_SIZE, ucf_main, &u[0], &main) ==
		0);
	REQUIRE(fiber_create(&f[1], FIBER_STACK_SIZE, ucf_main, &u[1], &main) ==
		0);
	/* f0 reads (parks, to f1), f1 reads (parks, to f0), f0 reads again
	 * (to f1), f1 reads again (to f0), f0 ends (to main). */
	fiber_switch(&main, &f[0]);
	EXPECT(f[0].done);
	EXPECT(!f[1].done);
	fiber_switch(&main, &f[1]);
	EXPECT(f[1].done);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(u[i].err, UC_ERR_OK);
		EXPECT_EQ(u[i].reads, 2);
		EXPECT_EQ(u[i].x1, 1); /* the first read: off 0 + 1 */
		fiber_destroy(&f[i]);
		uc_close(u[i].uc);
	}
}
