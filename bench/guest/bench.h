/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench.h (guest): timing helpers of the bench guests: LOOP(n, body) gives
 * the ns per iteration (virtual counter), report() prints "BENCH name ns",
 * and the GIC register rows both GIC versions measure.
 */
#ifndef VKVM_BENCH_GUEST_BENCH_H
#define VKVM_BENCH_GUEST_BENCH_H

#include "lib/gic_ops.h"

static inline uint64_t ns_since(uint64_t t0, uint64_t n)
{
	uint64_t t = sysreg_read(cntvct_el0) - t0;

	return t * 1000000000ULL / sysreg_read(cntfrq_el0) / n;
}

/* Print "BENCH <prefix><name> <ns in hex>". */
static inline void report(const char *prefix, const char *name, uint64_t ns)
{
	puts_("BENCH ");
	puts_(prefix);
	puts_(name);
	puts_(" ");
	put_hex(ns);
	puts_("\n");
}

#define LOOP(n, body)                                   \
	({                                              \
		uint64_t t0_ = sysreg_read(cntvct_el0); \
		for (uint64_t i_ = 0; i_ < (n); i_++) { \
			body;                           \
		}                                       \
		ns_since(t0_, (n));                     \
	})

#define BENCH_SGI_SELF 3
#define BENCH_READS 20000

/*
 * The GIC rows: @floor is a distributor offset with no register (RAZ/WI
 * on both GICs: what reaching a GIC frame costs at all), then a plain
 * distributor register (TYPER), then one interrupt's whole life with IRQs
 * masked: the SGI to self, acknowledge and EOI (three accesses; the SGI
 * must be enabled, priority above PMR).
 */
static inline void bench_gic_rows(const char *prefix, uintptr_t floor)
{
	uint64_t ns;

	ns = LOOP(BENCH_READS, (void)mmio_read32(floor));
	report(prefix, "gic_floor_read", ns);
	ns = LOOP(BENCH_READS, (void)mmio_read32(GICD + 0x4));
	report(prefix, "gic_mmio_read", ns);
	ns = LOOP(BENCH_READS / 4, {
		uint32_t id;

		gic_send_sgi_self(BENCH_SGI_SELF);
		id = gic_ack();
		if ((id & 0x3ff) != SPURIOUS)
			gic_eoi(id);
	});
	report(prefix, "gic_sgi_ack_eoi", ns);
}

#endif /* VKVM_BENCH_GUEST_BENCH_H */
