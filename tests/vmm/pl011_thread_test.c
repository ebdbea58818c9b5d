// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pl011_thread_test.c: the console thread feeding the PL011 while a vCPU
 * thread drains it (run under TSan by `make check`): every byte arrives
 * once, in order, and the rx_space callback wakes the feeder.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "lib/test.h"
#include "vmm/pl011.h"

#define TOTAL 20000

struct feed {
	struct vmm_pl011 uart;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int room; /* set by the rx_space callback */
	atomic_int wakeups;
};

static void on_space(void *opaque)
{
	struct feed *f = opaque;

	pthread_mutex_lock(&f->lock);
	f->room = 1;
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
	atomic_fetch_add(&f->wakeups, 1);
}

static void *feeder(void *arg)
{
	struct feed *f = arg;
	int sent = 0;

	while (sent < TOTAL) {
		uint8_t b[7];
		size_t n = 0,
		       want = TOTAL - sent < 7 ? (size_t)(TOTAL - sent) : 7;

		for (size_t i = 0; i < want; i++)
			b[i] = (uint8_t)(sent + i);
		pthread_mutex_lock(&f->lock);
		f->room = 0;
		pthread_mutex_unlock(&f->lock);
		n = vmm_pl011_push_rx(&f->uart, b, want);
		sent += (int)n;
		if (n < want) {
			pthread_mutex_lock(&f->lock);
			while (!f->room)
				pthread_cond_wait(&f->cond, &f->lock);
			pthread_mutex_unlock(&f->lock);
		}
	}
	return NULL;
}

TEST(pl011_feeder_and_reader_threads_lose_nothing)
{
	struct vmm_irq_line none = { -1, 33, 0 };
	struct feed f;
	pthread_t t;
	int got = 0, bad = 0;

	memset(&f, 0, sizeof(f));
	pthread_mutex_init(&f.lock, NULL);
	pthread_cond_init(&f.cond, NULL);
	vmm_pl011_init(&f.uart, -1, none);
	f.uart.rx_space = on_space;
	f.uart.rx_space_opaque = &f;
	vmm_pl011_ops.write(&f.uart, 0x2c, 0x70, 4); /* FIFO on */
	REQUIRE(pthread_create(&t, NULL, feeder, &f) == 0);
	while (got < TOTAL) {
		if (vmm_pl011_ops.read(&f.uart, 0x18, 4) & 0x10)
			continue; /* RXFE */
		if (vmm_pl011_ops.read(&f.uart, 0, 4) != (uint8_t)got)
			bad++;
		got++;
	}
	pthread_join(t, NULL);
	EXPECT_EQ(bad, 0);
	EXPECT(atomic_load(&f.wakeups) > 0);
	vmm_pl011_destroy(&f.uart);
	pthread_cond_destroy(&f.cond);
	pthread_mutex_destroy(&f.lock);
}
