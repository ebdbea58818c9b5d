// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cache.c (guest): the cache description.  CLIDR_EL1 names the caches,
 * CCSIDR_EL1 (selected by CSSELR_EL1) gives each one's geometry, and
 * CTR_EL0's DminLine/IminLine must be the smallest data and instruction
 * line among them.  On vkvm the runner's mailbox holds what
 * KVM_GET_ONE_REG returns (CLIDR, CTR, DEMUX CCSIDR): the guest must read
 * exactly that (kvm-arm-api.md 4.4).
 */
#include "lib/guest.h"

#define CTYPE_I 1
#define CTYPE_D 2
#define CTYPE_SEPARATE 3
#define CTYPE_UNIFIED 4

static uint64_t ccsidr_of(uint64_t sel)
{
	sysreg_write(csselr_el1, sel);
	__asm__ volatile("isb");
	return sysreg_read(ccsidr_el1);
}

static bool cache_present(unsigned int ctype, unsigned int ind)
{
	if (ind)
		return ctype == CTYPE_I || ctype == CTYPE_SEPARATE;
	return ctype >= CTYPE_D;
}

static unsigned int min_u(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

void main_cpu0(void)
{
	const volatile struct mailbox *mb = mailbox();
	uint64_t clidr = sysreg_read(clidr_el1), ctr = sysreg_read(ctr_el0);
	unsigned int dmin = 64, imin = 64, n = 0;

	if (mb) {
		check_eq("clidr_el1 is what ONE_REG reads", clidr, mb->clidr);
		check_eq("ctr_el0 is what ONE_REG reads", ctr, mb->ctr);
	}
	for (unsigned int level = 0; level < 7; level++) {
		unsigned int ctype = (clidr >> (3 * level)) & 7;

		if (!ctype)
			break;
		for (unsigned int ind = 0; ind < 2; ind++) {
			unsigned int sel = level << 1 | ind, line;
			uint64_t v;

			if (!cache_present(ctype, ind))
				continue;
			v = ccsidr_of(sel);
			line = (unsigned int)(v & 7) + 4; /* log2(bytes) */
			check("ccsidr of a named cache is not zero", v != 0);
			if (mb)
				check_eq("ccsidr is the demux ONE_REG's", v,
					 mb->ccsidr[sel]);
			if (ind)
				imin = min_u(imin, line);
			else
				dmin = min_u(dmin, line);
			n++;
		}
	}
	sysreg_write(csselr_el1, 0);
	check("clidr names at least one cache", n > 0);
	/* CTR_EL0 counts words (log2(bytes) - 2). */
	check_eq("ctr dminline is the smallest data line",
		 ((ctr >> 16) & 0xf) + 2, dmin);
	check_eq("ctr iminline is the smallest instruction line",
		 (ctr & 0xf) + 2, imin);
	finish();
}

void main_secondary(unsigned int cpu, uint64_t arg)
{
	(void)cpu;
	(void)arg;
}
