// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dirty_log_thread_test.c: the dirty log read and cleared by one thread
 * while a guest stores on another (run under TSan by check.sh): no bit
 * may be lost or invented, and starting/stopping logging under a running
 * guest must not race with its stores.
 */
#include <pthread.h>
#include <time.h>

#include "dirty_guest.h"

/*
 *	movz x2, #0x4010, lsl #16; mov x3, #0x55
 * loop: str x3, [x2]; str x3, [x2, #0x3000]; add x3, x3, #1; b loop
 */
static const uint32_t spin_prog[] = { 0xd2a80202, 0xd2800aa3, 0xf9000043,
				      0xf9180043, 0x91000463, 0x17fffffd };

struct reader {
	struct dguest *g;
	int rounds;
	int toggles; /* also stop and restart logging this many times */
	uint64_t seen[DG_WORDS];
	int nonempty;
	int errors;
};

static void nap_us(long us)
{
	struct timespec ts = { 0, us * 1000 };

	nanosleep(&ts, NULL);
}

/* The guest's first store (page 256), up to 10 s: the first KVM_RUN
 * starts the engine, which is slow under the sanitizers. */
static void wait_guest_started(struct reader *r)
{
	volatile uint64_t *w =
		(volatile uint64_t *)((char *)r->g->ram + 256 * 4096);

	for (int i = 0; i < 20000 && !*w; i++)
		nap_us(500);
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	uint64_t bm[DG_WORDS];

	wait_guest_started(r);
	/* The rounds, then on until two reads found stores (10 s at most). */
	for (int i = 0; i < r->rounds || (r->nonempty < 2 && i < 20000); i++) {
		nap_us(500);
		if (i < r->toggles && (dg_slot(r->g, 0) ||
				       dg_slot(r->g, KVM_MEM_LOG_DIRTY_PAGES)))
			r->errors++;
		if (dg_get(r->g, bm)) {
			r->errors++;
			continue;
		}
		r->nonempty += !dg_empty(bm);
		for (unsigned int w = 0; w < DG_WORDS; w++)
			r->seen[w] |= bm[w];
	}
	vkvm_kick_vcpu(r->g->vcpu);
	return NULL;
}

/* Run the spinning guest while a reader works; then the last GET. */
static void run_with_reader(struct reader *r)
{
	uint64_t bm[DG_WORDS];
	pthread_t t;

	REQUIRE(pthread_create(&t, NULL, reader_main, r) == 0);
	EXPECT_ERRNO(vkvm_ioctl(r->g->vcpu, KVM_RUN, 0), EINTR);
	pthread_join(t, NULL);
	EXPECT_OK(dg_get(r->g, bm));
	for (unsigned int w = 0; w < DG_WORDS; w++)
		r->seen[w] |= bm[w];
}

static bool only_spin_pages(const uint64_t *bm)
{
	uint64_t want[DG_WORDS] = { 0 };

	want[256 / 64] = 1ULL << (256 % 64) | 1ULL << (259 % 64);
	return !memcmp(want, bm, sizeof(want));
}

TEST(log_read_by_another_thread_while_the_guest_stores_loses_nothing)
{
	struct dguest g;
	struct reader r = { .g = &g, .rounds = 200 };

	REQUIRE(dg_make(&g, spin_prog, sizeof(spin_prog) / 4,
			KVM_MEM_LOG_DIRTY_PAGES) == 0);
	run_with_reader(&r);
	EXPECT_EQ(r.errors, 0);
	EXPECT(only_spin_pages(r.seen));
	/* the guest stores all the time: most reads find both pages */
	EXPECT(r.nonempty > 1);
	dg_free(&g);
}

TEST(logging_toggled_under_a_storing_guest_is_safe)
{
	struct dguest g;
	struct reader r = { .g = &g, .rounds = 60, .toggles = 30 };
	uint64_t bm[DG_WORDS];

	REQUIRE(dg_make(&g, spin_prog, sizeof(spin_prog) / 4,
			KVM_MEM_LOG_DIRTY_PAGES) == 0);
	run_with_reader(&r);
	EXPECT_EQ(r.errors, 0);
	/* after the last start the stores are logged again (no MMIO park:
	 * exact) */
	EXPECT(only_spin_pages(r.seen));
	EXPECT_OK(dg_get(&g, bm));
	EXPECT(dg_empty(bm));
	dg_free(&g);
}
