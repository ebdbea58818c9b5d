// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * workload.c: a deterministic multi-vCPU guest for the snapshot and
 * migration checks (issue 7): its console output does not depend on
 * timing, so a run snapshotted (or migrated) at any point and resumed
 * prints exactly what an uninterrupted run prints.
 *
 * The work goes in PHASES phases.  In each phase every vCPU
 *   - takes TICKS virtual timer interrupts (PPI 27, every 10 ms); each
 *     tick rewrites a window of the vCPU's own 64 KiB buffer,
 *   - launches its token: SGI <index> passed around the ring of vCPUs
 *     ROUNDS times; each hop rewrites the token's 4 KiB buffer,
 * vCPU 1 reads RX_BYTES 'x' bytes from the PL011 (SPI 1, INTID 33, fed
 * by the VMM from its stdin: other bytes are ignored) and vCPU 2 waits for
 * one PL031 alarm (SPI 2, INTID 34).  The work happens inside the
 * interrupt handlers.  Besides, each vCPU acknowledges SGI 14 (priority
 * 0xd0) at start and ends it only after the last phase, and keeps SGI 15
 * pending all along (priority 0xf0, masked by PMR 0xe0): any snapshot
 * holds an active and a pending interrupt per vCPU, and the end checks
 * the running priority and takes SGI 15.  Every result depends only on the sequence of a vCPU's or
 * token's own events, never on their interleaving.  At each phase end
 * the vCPUs meet (SGI 9 to vCPU 0, SGI 8 back) and vCPU 0 alone prints
 * the results; at the end it replays all the work on one vCPU, checks
 * the results and powers off (PSCI SYSTEM_OFF), or prints FAIL and asks
 * for SYSTEM_RESET.
 */
#include "virt.h"

#define MAX_CPUS 8
#define PHASES 4
#define TICKS 100 /* per phase, 10 ms apart: a phase lasts >= 1 s */
#define ROUNDS 4 /* token trips around the ring per phase */
#define RX_BYTES 8 /* per phase */
#define BUF_WORDS 8192 /* 64 KiB per vCPU */
#define TICK_WORDS 512
#define TOKEN_WORDS 512 /* 4 KiB per token */
#define SGI_GO 8
#define SGI_ARRIVE 9
#define SGI_HELD 14 /* acknowledged at start, ended at the very end */
#define SGI_PARKED 15 /* pending all along: its priority is masked */
#define PRIO_HELD 0xd0 /* below the work's priority 0: no obstacle */
#define PRIO_PARKED 0xf0
#define PMR_RUN 0xe0 /* masks SGI_PARKED until the end */
#define VTIMER_INTID 27
#define UART_INTID 33
#define RTC_INTID 34
#define RX_CPU 1
#define RTC_CPU 2

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTLCR_H 0x02c
#define UARTIMSC 0x038
#define FR_RXFE (1U << 4)
#define INT_RX (1U << 4)
#define RTC_BASE 0x09010000UL
#define RTCDR 0x00
#define RTCMR 0x04
#define RTCIMSC 0x10
#define RTCICR 0x1c

static unsigned int nr_cpus;
static volatile unsigned int phase; /* the phase under way, set by vCPU 0 */
static unsigned int ready, arrived, released; /* atomics */
static uint64_t tick_period;

struct cpu_state {
	volatile unsigned int ticks, token_done;
	uint64_t tick_hash;
	uint64_t buf[BUF_WORDS];
};

struct token {
	volatile unsigned int hops;
	uint64_t hash;
	uint64_t buf[TOKEN_WORDS];
};

static struct cpu_state cpus[MAX_CPUS];
static struct token tokens[MAX_CPUS];
static volatile unsigned int rx_count, rtc_alarms;
static uint32_t held_iar[MAX_CPUS], held_rpr[MAX_CPUS];
static volatile unsigned int parked_taken[MAX_CPUS];
static uint64_t rx_hash;
static uint64_t replay_buf[BUF_WORDS]; /* vCPU 0's scratch for the replay */

/* ---- the work: pure functions of (who, sequence number, buffer) -------- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x100000001b3ULL;
	return h ^ (h >> 29);
}

static uint64_t tick_work(unsigned int cpu, unsigned int tick, uint64_t *buf,
			  uint64_t h)
{
	unsigned int base = (tick * TICK_WORDS) % BUF_WORDS;

	for (unsigned int i = 0; i < TICK_WORDS; i++) {
		uint64_t far = buf[(base + i * 7) % BUF_WORDS];
		uint64_t w = buf[base + i] * 6364136223846793005ULL + far +
			     ((uint64_t)cpu << 32) + tick;

		buf[base + i] = w;
		h = mix(h, w);
	}
	return h;
}

static uint64_t hop_work(unsigned int cpu, unsigned int hop, uint64_t *buf,
			 uint64_t h)
{
	for (unsigned int i = 0; i < TOKEN_WORDS; i++) {
		uint64_t w = (buf[i] ^ h) * 0x9e3779b97f4a7c15ULL + hop + cpu;

		buf[i] = w;
		h = mix(h, w >> 7);
	}
	return h;
}

static uint64_t digest(const uint64_t *buf, unsigned int words)
{
	uint64_t h = 0;

	for (unsigned int i = 0; i < words; i++)
		h = mix(h, buf[i]);
	return h;
}

/* ---- interrupt handlers -------------------------------------------------- */

static void send_sgi(unsigned int target, unsigned int intid)
{
	__asm__ volatile("dsb ish" : : : "memory"); /* the token's data first */
	gic_send_sgi(target, intid);
}

static void on_tick(unsigned int cpu)
{
	struct cpu_state *c = &cpus[cpu];
	unsigned int t = c->ticks + 1;

	c->tick_hash = tick_work(cpu, t, c->buf, c->tick_hash);
	c->ticks = t;
	if (t % TICKS) {
		WRITE_SYSREG(cntv_cval_el0,
			     READ_SYSREG(cntv_cval_el0) + tick_period);
	} else {
		WRITE_SYSREG(cntv_ctl_el0, 0); /* phase done: the line drops */
	}
	ISB();
}

/* Token @id reached @cpu: one hop of work, then on to the next vCPU,
 * except at the end of this phase's trips (back at its origin). */
static void on_token(unsigned int cpu, unsigned int id)
{
	struct token *tk = &tokens[id];
	unsigned int hop = tk->hops + 1;

	tk->hash = hop_work(cpu, hop, tk->buf, tk->hash);
	tk->hops = hop;
	if (hop % (ROUNDS * nr_cpus))
		send_sgi((cpu + 1) % nr_cpus, id);
	else
		cpus[cpu].token_done = hop / (ROUNDS * nr_cpus);
}

/* Read 'x' bytes up to this phase's quota, then mask the RX interrupt
 * (bytes left in the FIFO keep it raised for the next phase). */
static void on_uart(void)
{
	unsigned int quota = phase * RX_BYTES;

	while (rx_count < quota && !(rd32(UART_BASE + UARTFR) & FR_RXFE)) {
		if ((char)rd32(UART_BASE + UARTDR) != 'x')
			continue;
		rx_count = rx_count + 1;
		rx_hash = mix(rx_hash, rx_count);
	}
	if (rx_count >= quota)
		wr32(UART_BASE + UARTIMSC, 0);
}

static void on_rtc(void)
{
	wr32(RTC_BASE + RTCICR, 1);
	wr32(RTC_BASE + RTCIMSC, 0); /* one alarm per phase */
	rtc_alarms = rtc_alarms + 1;
}

void handle_irq(unsigned int cpu, uint32_t intid, uint32_t src)
{
	if (intid < MAX_CPUS)
		on_token(cpu, intid);
	else if (intid == VTIMER_INTID)
		on_tick(cpu);
	else if (intid == UART_INTID)
		on_uart();
	else if (intid == RTC_INTID)
		on_rtc();
	else if (intid == SGI_PARKED)
		parked_taken[cpu] = 1;
	else if (intid != SGI_GO && intid != SGI_ARRIVE)
		fail("unexpected interrupt", intid);
}

/* ---- phases -------------------------------------------------------------- */

struct wait_arg {
	unsigned int cpu, phase;
};

static int phase_started(const void *arg)
{
	const struct wait_arg *w = arg;

	return phase >= w->phase;
}

static int local_work_done(const void *arg)
{
	const struct wait_arg *w = arg;
	const struct cpu_state *c = &cpus[w->cpu];

	if (c->ticks < w->phase * TICKS || c->token_done < w->phase)
		return 0;
	if (w->cpu == RX_CPU % nr_cpus && rx_count < w->phase * RX_BYTES)
		return 0;
	return w->cpu != RTC_CPU % nr_cpus || rtc_alarms >= w->phase;
}

static int all_arrived(const void *arg)
{
	const struct wait_arg *w = arg;

	return __atomic_load_n(&arrived, __ATOMIC_ACQUIRE) >=
	       w->phase * nr_cpus;
}

static int all_released(const void *arg)
{
	return __atomic_load_n(&released, __ATOMIC_ACQUIRE) >= nr_cpus;
}

static void start_phase(unsigned int cpu)
{
	WRITE_SYSREG(cntv_cval_el0, READ_SYSREG(cntvct_el0) + tick_period);
	WRITE_SYSREG(cntv_ctl_el0, 1);
	ISB();
	send_sgi((cpu + 1) % nr_cpus, cpu); /* launch this vCPU's token */
	if (cpu == RX_CPU % nr_cpus)
		wr32(UART_BASE + UARTIMSC, INT_RX);
	if (cpu == RTC_CPU % nr_cpus) {
		wr32(RTC_BASE + RTCMR, rd32(RTC_BASE + RTCDR) + 1);
		wr32(RTC_BASE + RTCIMSC, 1);
	}
}

/* One phase on @cpu: wait for it, do it, report to vCPU 0. */
static void do_phase(unsigned int cpu, unsigned int p)
{
	struct wait_arg w = { cpu, p };

	wait_until(phase_started, &w);
	start_phase(cpu);
	wait_until(local_work_done, &w);
	__atomic_add_fetch(&arrived, 1, __ATOMIC_ACQ_REL);
	if (cpu)
		send_sgi(0, SGI_ARRIVE);
}

/*
 * The interface, and two interrupts that stay in one state through the
 * whole run (and so through any snapshot): SGI_HELD active (acknowledged
 * here, IRQs still masked, ended by release_held()) and SGI_PARKED
 * pending (masked by PMR_RUN until then).
 */
static void cpu_setup(unsigned int cpu)
{
	uint32_t iar;

	gic_cpu_init(((1U << MAX_CPUS) - 1) | 1U << SGI_GO | 1U << SGI_ARRIVE |
		     1U << SGI_HELD | 1U << SGI_PARKED | 1U << VTIMER_INTID);
	gic_set_priority(SGI_HELD, PRIO_HELD);
	gic_set_priority(SGI_PARKED, PRIO_PARKED);
	gic_set_pmr(PMR_RUN);
	send_sgi(cpu, SGI_PARKED);
	send_sgi(cpu, SGI_HELD);
	while (gic_intid(iar = gic_ack()) == 1023) /* not there yet */
		;
	if (gic_intid(iar) != SGI_HELD)
		fail("acknowledged instead of SGI 14", iar);
	held_iar[cpu] = iar;
}

/* After the last phase: the running priority is still SGI_HELD's; end
 * it, unmask SGI_PARKED and take it. */
static void release_held(unsigned int cpu)
{
	held_rpr[cpu] = gic_rpr();
	gic_eoi(held_iar[cpu]);
	gic_set_pmr(0xff);
	wait_for(&parked_taken[cpu]);
	__atomic_add_fetch(&released, 1, __ATOMIC_ACQ_REL);
	if (cpu)
		send_sgi(0, SGI_ARRIVE);
}

void secondary_main(uint64_t index)
{
	unsigned int cpu = (unsigned int)index;
	struct wait_arg w = { cpu, PHASES + 1 };

	cpu_setup(cpu);
	__atomic_add_fetch(&ready, 1, __ATOMIC_ACQ_REL);
	for (unsigned int p = 1; p <= PHASES; p++)
		do_phase(cpu, p);
	wait_until(phase_started, &w); /* serve tokens until all are done */
	release_held(cpu);
	psci(PSCI_CPU_OFF, 0, 0, 0);
	fail("CPU_OFF returned", index);
}

/* ---- vCPU 0: start, lead the phases, print, replay ----------------------- */

static void begin_phase(unsigned int p)
{
	phase = p;
	for (unsigned int i = 1; i < nr_cpus; i++)
		send_sgi(i, SGI_GO);
}

static void print_phase(unsigned int p)
{
	uint64_t mem = 0;

	print("workload: phase %u: rx %u %x, rtc alarms %u\n", (unsigned long)p,
	      (unsigned long)rx_count, (unsigned long)rx_hash,
	      (unsigned long)rtc_alarms);
	for (unsigned int i = 0; i < nr_cpus; i++) {
		mem = mix(mem, digest(cpus[i].buf, BUF_WORDS));
		print("workload: phase %u: vCPU %u ticks %u %x, token %u hops "
		      "%u %x\n",
		      (unsigned long)p, (unsigned long)i,
		      (unsigned long)cpus[i].ticks,
		      (unsigned long)cpus[i].tick_hash, (unsigned long)i,
		      (unsigned long)tokens[i].hops,
		      (unsigned long)tokens[i].hash);
	}
	print("workload: phase %u: memory %x\n", (unsigned long)p,
	      (unsigned long)mem);
}

static void zero(uint64_t *buf, unsigned int words)
{
	for (unsigned int i = 0; i < words; i++)
		buf[i] = 0;
}

/* Redo every vCPU's ticks and every token's hops in order on this vCPU;
 * the number of mismatching hashes and buffers. */
static unsigned int replay(void)
{
	unsigned int bad = 0, hops = PHASES * ROUNDS * nr_cpus;

	for (unsigned int i = 0; i < nr_cpus; i++) {
		uint64_t h = 0;

		zero(replay_buf, BUF_WORDS);
		for (unsigned int t = 1; t <= PHASES * TICKS; t++)
			h = tick_work(i, t, replay_buf, h);
		bad += h != cpus[i].tick_hash;
		bad += digest(replay_buf, BUF_WORDS) !=
		       digest(cpus[i].buf, BUF_WORDS);
		h = 0;
		zero(replay_buf, TOKEN_WORDS);
		for (unsigned int hop = 1; hop <= hops; hop++)
			h = hop_work((i + hop) % nr_cpus, hop, replay_buf, h);
		bad += h != tokens[i].hash;
		bad += digest(replay_buf, TOKEN_WORDS) !=
		       digest(tokens[i].buf, TOKEN_WORDS);
	}
	return bad;
}

void boot_main(uint64_t dtb)
{
	struct wait_arg w = { 0, 0 };
	unsigned int bad;

	gic_init();
	tick_period = READ_SYSREG(cntfrq_el0) / 100;
	cpu_setup(0);
	nr_cpus = start_secondaries(MAX_CPUS);
	gic_enable_spi_to(UART_INTID, RX_CPU % nr_cpus);
	gic_enable_spi_to(RTC_INTID, RTC_CPU % nr_cpus);
	wr32(UART_BASE + UARTLCR_H, 0x70); /* 8 bits, FIFOs on */
	print("workload: %u vCPUs, GICv%u, %u phases\n", (unsigned long)nr_cpus,
	      (unsigned long)gic_version, (unsigned long)PHASES);
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < nr_cpus - 1)
		;
	for (unsigned int p = 1; p <= PHASES; p++) {
		begin_phase(p);
		do_phase(0, p);
		w.phase = p;
		wait_until(all_arrived, &w);
		print_phase(p);
	}
	begin_phase(PHASES + 1); /* the secondaries turn themselves off */
	release_held(0);
	w.phase = 0;
	wait_until(all_released, &w);
	for (unsigned int i = 0; i < nr_cpus; i++)
		print("workload: vCPU %u: running priority %x until the end, "
		      "SGI %u pending until then\n",
		      (unsigned long)i, (unsigned long)held_rpr[i],
		      (unsigned long)SGI_PARKED);
	bad = replay();
	for (unsigned int i = 0; i < nr_cpus; i++)
		bad += held_rpr[i] != PRIO_HELD;
	if (bad)
		fail("the replay or a running priority disagrees", bad);
	print("workload: PASS: the replay and the priorities agree\n");
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	fail("SYSTEM_OFF returned", 0);
}
